// `npm test`: every check CI runs, in order, stopping at the first failure.
//
// 1. typecheck (TypeScript 7)          4. drift check: clusters/ equals a fresh render
// 2. lint                              5. flotilla validate clusters/ (schemas, CEL, references, policies)
// 3. every vitest test                 6. flotilla policy verify policies/ (gator-format suites)
//
// The last line is the test count, e.g. "tests: 412 passed, 0 failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'node_modules/.bin');
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' };
const report = join(root, 'dist/test-results/vitest.json');
mkdirSync(dirname(report), { recursive: true });

const steps = [
  // TypeScript 7 (native) by path: typescript@5.9 also declares the `tsc` bin, and tools needing the JS API use 5.9.
  ['typecheck', 'node', ['node_modules/typescript-native/bin/tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint', 'eslint', ['.']],
  ['tests', 'vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]],
  ['drift check', 'node', ['--max-semi-space-size=8', 'apps/fleet/bin/flotilla.js', 'synth', '--check']],
  ['validate', 'node', ['--max-semi-space-size=8', 'apps/fleet/bin/flotilla.js', 'validate', 'clusters']],
  ['policy suites', 'node', ['--max-semi-space-size=8', 'apps/fleet/bin/flotilla.js', 'policy', 'verify', 'policies']],
];

for (const [name, command, args] of steps) {
  const started = Date.now();
  process.stdout.write(`\n== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`\n== ${name} failed (${seconds} s)\n`);
    printCounts();
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`== ${name} passed (${seconds} s)\n`);
}
printCounts();

function printCounts() {
  if (!existsSync(report)) return;
  const results = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = results.numPendingTests + results.numTodoTests;
  process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
}
