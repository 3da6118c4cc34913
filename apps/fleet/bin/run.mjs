// Runs the CLI bundle once the launcher (flotilla.js) has chosen Node and V8 flags: makes sure the
// bundle is fresh and, for commands that render the fleet, that the fleet type-checks.
// `node --max-semi-space-size=8 apps/fleet/bin/run.mjs <args>` is what the launcher spawns.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBundle } from '../scripts/bundle.mjs';

// Commands that load and render the fleet: they must never render sources that do not compile.
const RENDERING = new Set(['synth', 'diff', 'guard', 'publish', 'set-image', 'promote']);

/** Runs `flotilla <argv>` from `repoRoot`; sets the process exit code. */
export async function start(repoRoot, argv) {
  try {
    const check = RENDERING.has(argv[0]) && !argv.includes('--help') && !argv.includes('-h');
    const { diagnostics, bundle } = await ensureBundle(repoRoot, { check });
    if (diagnostics.length > 0) {
      process.stderr.write(`${diagnostics.join('\n')}\n`);
      process.stderr.write(
        `flotilla ${argv[0]}: the fleet does not type-check (${diagnostics.length} error(s) above); nothing was rendered and clusters/ is untouched\n`,
      );
      process.exitCode = 1;
      return;
    }
    const cli = await import(pathToFileURL(bundle).href);
    // Commands work from the repository root; paths the user typed stay relative to where they typed them.
    const invocationDir = process.cwd();
    process.chdir(repoRoot);
    process.exitCode = await cli.main(argv, repoRoot, invocationDir);
  } catch (error) {
    process.stderr.write(`flotilla: ${error && error.message ? error.message : error}\n`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  // Spawned by the launcher, which found the repository and passes it on.
  const repoRoot = process.env.FLOTILLA_REPO_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  await start(repoRoot, process.argv.slice(2));
}
