// Runs the flotilla CLI from its TypeScript sources (tsx) instead of the esbuild bundle, for the
// CPU profile only: profile frames then name their source files, so self time can be attributed to
// projects (the bundle ships without a source map). Usage: node --import tsx profile-entry.ts <cli args>
import { main } from '@flotilla/cli';

const root = process.cwd();
main(process.argv.slice(2), root, root)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`flotilla: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
