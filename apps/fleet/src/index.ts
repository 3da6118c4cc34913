import { defineFleet } from '@flotilla/config';
import { ci } from './lib/ci';
import { codeowners } from './lib/codeowners';
import { stages } from './lib/fleet-defaults';
import { mutableReferenceExceptions } from './lib/pin-exceptions';
import { chartReleases } from './lib/releases';
import { dev } from './lib/clusters/dev/index';
import { prod } from './lib/clusters/prod/index';
import { staging } from './lib/clusters/staging/index';

/** Stages (prod immutable), chart pins per stage and the reviewed exceptions to immutability. */
const fleetReleases = { stages, charts: chartReleases, mutableReferenceExceptions };

/** The example fleet: one typed object per cluster (dev → staging → prod, lib/fleet-defaults.ts), who owns which paths, its CI settings and its releases. */
export const fleet = defineFleet({ clusters: [dev, staging, prod], codeowners, ci, releases: fleetReleases });
export { dev, staging, prod };
export { stages } from './lib/fleet-defaults';
export { chartReleases, releases } from './lib/releases';
