/**
 * Validates every YAML file under a folder (default `clusters/`) with all checks and prints the findings.
 *   tsx libs/validate/scripts/validate-tree.ts [dir] [--k8s 1.36]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatFinding } from '@flotilla/model';
import { findRepoRoot, type KubernetesVersion } from '@flotilla/schemas';
import { checkReferences, checkSecrets, parseManifests, SchemaValidator } from '../src';

const root = findRepoRoot(process.cwd());
const args = process.argv.slice(2);
const k8s = args.includes('--k8s') ? (args[args.indexOf('--k8s') + 1] as KubernetesVersion) : '1.35';
const dir = join(root, args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--k8s') ?? 'clusters');

function walk(path: string): string[] {
  if (statSync(path).isFile()) return /\.ya?ml$/.test(path) ? [path] : [];
  return readdirSync(path).sort().flatMap((entry) => walk(join(path, entry)));
}

const files = walk(dir).map((path) => ({ file: relative(root, path).split('\\').join('/'), content: readFileSync(path, 'utf8') }));
const started = performance.now();
const { objects, findings } = parseManifests(files);
findings.push(...SchemaValidator.load().validate(objects, { kubernetesVersion: k8s }), ...checkReferences(objects), ...checkSecrets(objects));
const ms = performance.now() - started;
for (const finding of findings) console.log(formatFinding(finding));
console.log(`${files.length} files, ${objects.length} objects, ${findings.length} findings in ${ms.toFixed(0)} ms (first run, includes compiling)`);
process.exitCode = findings.some((f) => f.severity === 'error') ? 1 : 0;
