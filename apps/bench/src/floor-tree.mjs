// The disk floor: the same files synth writes (same paths, same folders), each serialized with
// JSON.stringify and written once with writeFileSync, nothing else: no check, no temp file, no
// journal. Usage: node floor-tree.mjs <fixture.json> <repo-root>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [fixture, root] = process.argv.slice(2);
if (!fixture || !root) {
  process.stderr.write('usage: node floor-tree.mjs <fixture.json> <repo-root>\n');
  process.exit(2);
}
const { objects } = JSON.parse(readFileSync(fixture, 'utf8'));
const byFile = new Map();
for (const { file, object } of objects) byFile.set(file, [...(byFile.get(file) ?? []), object]);
const made = new Set();
let bytes = 0;
for (const [file, documents] of byFile) {
  const dir = dirname(join(root, file));
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const text = documents.map((document) => JSON.stringify(document, null, 2)).join('\n---\n') + '\n';
  bytes += text.length;
  writeFileSync(join(root, file), text);
}
process.stdout.write(`${JSON.stringify({ files: byFile.size, bytes })}\n`);
