// Runs the flotilla CLI from its TypeScript sources (tsx) instead of the esbuild bundle, for the
// CPU profile only: profile frames then name their source files, so self time can be attributed to
// projects (the bundle ships without a source map). Usage: node --import tsx profile-entry.ts <cli args>
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The fleet application's entry point of the workspace being benchmarked (computed path: apps import no apps).
const root = process.cwd();
import(pathToFileURL(join(root, 'apps/fleet/src/main.ts')).href)
  .then(({ main }: { main: (argv: readonly string[], repoRoot: string) => Promise<number> }) => main(process.argv.slice(2), root))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`flotilla: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
