import type { DjApiProps } from '@flotilla/charts/workloads/dj-api';
import type { FleetCluster } from '../fleet-defaults';
import { releases } from '../releases';
import { defineTeam, imageOn } from './catalog';

/** dj's settings per environment: the API's host and its replica floor (its images are release pins, lib/releases.ts). */
export interface DjEnvironment {
  readonly api: {
    readonly hostname: string;
    /** @default - the app's default */
    readonly minReplicas?: number;
  };
}

/** dj: the jazz/metal API behind Kong with a v2 canary. */
export const dj = defineTeam<DjEnvironment>({
  name: 'dj',
  costCenter: 'cc-3001',
  group: 'dj-developers',
  environments: {
    dev: { api: { hostname: 'api.dev.example.com', minReplicas: 1 } },
    staging: { api: { hostname: 'api.staging.example.com', minReplicas: 1 } },
    prod: { api: { hostname: 'api.example.com' } },
  },
  // Routes in the team's namespace may answer only the API's hostname (FlotillaRouteHostnames).
  config: (_c, { api }) => ({ hostnames: [api.hostname] }),
});

/** dj-api's catalog settings on cluster `c`. */
export function djApiSettings(c: FleetCluster): Pick<DjApiProps, 'images' | 'hostname' | 'minReplicas'> {
  const pins = releases.of(c.environment)['dj-api'];
  return { images: { v1: imageOn(c, pins.v1), v2: imageOn(c, pins.v2) }, ...dj.settings(c).api };
}
