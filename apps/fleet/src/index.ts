import { defineFleet } from '@flotilla/config';
import { dev } from './lib/clusters/dev/index';
import { prod } from './lib/clusters/prod/index';

/** The example fleet: one typed object per cluster. */
export const fleet = defineFleet({
  clusters: [dev, prod],
  codeowners: { platform: '@flotilla/platform', teams: { dj: '@flotilla/dj', imagegen: '@flotilla/imagegen', 'team-a': '@flotilla/team-a' } },
});
export { dev, prod };
