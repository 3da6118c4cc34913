import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import type { Fleet, Layer, Unit } from '@flotilla/config';
import { fixtureCluster, fixtureFleet } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';

/** The source of a test fleet, kept as `fleet.json` in a test repository: cluster `prod`, unit name → its objects. */
export type FleetSpec = Record<string, { readonly layer: Layer; readonly objects: readonly KubeObject[] }>;

/** Where a test repository keeps its fleet's source. */
export const FLEET_SPEC_FILE = 'fleet.json';

/** The fleet a spec describes: one cluster, `prod`, whose units render the listed objects. */
export function fleetFromSpec(spec: FleetSpec): Fleet {
  const units = Object.entries(spec).map(([name, unit]): Unit => ({
    name,
    project: name,
    layer: unit.layer,
    render(scope) {
      unit.objects.forEach((object, index) => new ApiObject(scope, `object-${index}`, object));
    },
  }));
  return fixtureFleet(fixtureCluster('prod', units, { environment: 'prod' }));
}

/** The fleet of the repository at `repoRoot`, read from its `fleet.json`. */
export function readFleet(repoRoot: string): Fleet {
  return fleetFromSpec(JSON.parse(readFileSync(join(repoRoot, FLEET_SPEC_FILE), 'utf8')) as FleetSpec);
}
