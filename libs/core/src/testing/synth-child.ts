// A synth in its own process, for the kill and concurrency tests (bundled by the test with esbuild):
// node synth-child.mjs <repo> old|new [bytesPerMap]. Prints 'ok …' or the SynthError, like the CLI.
import { driftCount } from '../lib/apply-plan';
import { synth, SynthError } from '../lib/synth';
import { crashFleet } from './crash-fleets';
import { projectRootsFor } from './fixture-fleet';

const [repoRoot, variant, bytes] = process.argv.slice(2) as [string, 'old' | 'new', string | undefined];
const fleet = crashFleet(variant, bytes ? Number(bytes) : undefined);
try {
  const result = synth({
    repoRoot,
    fleet,
    projectRoots: projectRootsFor(fleet),
    command: `synth-child ${variant}`,
    notice: (message) => process.stderr.write(`notice: ${message}\n`),
  });
  process.stdout.write(`ok ${variant}: ${driftCount(result.drift)} file(s) written or removed\n`);
} catch (error) {
  process.stderr.write(`${error instanceof SynthError ? error.describe() : String(error)}\n`);
  process.exit(1);
}
