import { join } from 'node:path';
import { main as runEngine } from '@flotilla/cli';
import manifest from '../package.json';
import { stages } from './lib/fleet-defaults';

/** This application's folder, named in the headers of the cluster-level files it renders. */
export const FLEET_SOURCE = 'apps/fleet';

/**
 * The `flotilla` entry point (bin/flotilla.js bundles and runs this): the composition root that
 * hands the example fleet and the workspace's policy library to the engine; returns the exit code.
 */
export function main(argv: readonly string[], repoRoot: string, invocationDir: string = repoRoot): Promise<number> {
  return runEngine(argv, {
    // Loaded on first use, so commands that do not read the fleet work while its config is broken.
    fleet: async () => (await import('./index')).fleet,
    repoRoot,
    invocationDir,
    fleetSource: FLEET_SOURCE,
    policiesDir: join(repoRoot, 'policies'),
    releases: { stages: stages.order, file: `${FLEET_SOURCE}/src/lib/releases.ts` },
    version: manifest.version,
  });
}
