// The synth of a test repository's commits (bundled by fleet-repo.ts with esbuild and committed as the
// repository's apps/fleet/bin/flotilla.js): `node apps/fleet/bin/flotilla.js synth` renders the fleet
// its fleet.json describes with the real engine, like the fleet application's entry point does.
import { findProjectRoots, synth, SynthError } from '@flotilla/core';
import { readFleet } from './fleet-spec';

const repoRoot = process.cwd();
if (process.argv[2] !== 'synth') {
  process.stderr.write(`usage: flotilla.js synth\n`);
  process.exit(2);
}
try {
  const result = synth({ repoRoot, fleet: readFleet(repoRoot), projectRoots: findProjectRoots(repoRoot), fleetSource: 'apps/fleet' });
  process.stdout.write(`rendered ${result.objectCount} objects\n`);
} catch (error) {
  process.stderr.write(`${error instanceof SynthError ? error.describe() : String(error)}\n`);
  process.exit(1);
}
