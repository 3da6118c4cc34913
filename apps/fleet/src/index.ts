import { defineFleet } from '@flotilla/config';
import { codeowners } from './lib/codeowners';
import { dev } from './lib/clusters/dev/index';
import { prod } from './lib/clusters/prod/index';

/** The example fleet: one typed object per cluster, and who owns which paths. */
export const fleet = defineFleet({ clusters: [dev, prod], codeowners });
export { dev, prod };
