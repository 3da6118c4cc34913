import { defineFleet } from '@flotilla/config';
import { ci } from './lib/ci';
import { codeowners } from './lib/codeowners';
import { dev } from './lib/clusters/dev/index';
import { prod } from './lib/clusters/prod/index';
import { staging } from './lib/clusters/staging/index';

/** The example fleet: one typed object per cluster (dev → staging → prod, lib/fleet-defaults.ts), and who owns which paths. */
export const fleet = defineFleet({ clusters: [dev, staging, prod], codeowners, ci });
export { dev, staging, prod };
export { stages } from './lib/fleet-defaults';
export { releases } from './lib/releases';
