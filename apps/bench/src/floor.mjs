// The serialization floor (Baseline 2): writes the objects of a JSON fixture one file per object,
// serialized with the `yaml` package alone (cdk8s's options) or with JSON.stringify, in a fresh
// process. Usage: node floor.mjs yaml|json <fixture.json> <outdir>
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

const [mode, fixture, outdir] = process.argv.slice(2);
if (!['yaml', 'json'].includes(mode) || !fixture || !outdir) {
  process.stderr.write('usage: node floor.mjs yaml|json <fixture.json> <outdir>\n');
  process.exit(2);
}
const { objects } = JSON.parse(readFileSync(fixture, 'utf8'));
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// cdk8s's own emitter options: keep undefined keys, no line folding, YAML 1.1.
const serialize = mode === 'yaml' ? (object) => stringify(object, { keepUndefined: true, lineWidth: 0, version: '1.1' }) : (object) => `${JSON.stringify(object, null, 2)}\n`;
let bytes = 0;
for (let i = 0; i < objects.length; i++) {
  const text = serialize(objects[i].object);
  bytes += text.length;
  writeFileSync(join(outdir, `${i}.${mode}`), text);
}
process.stdout.write(`${JSON.stringify({ objects: objects.length, bytes })}\n`);
