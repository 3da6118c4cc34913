import type { GitSource } from '@flotilla/config';

/** The Git repository every cluster of the example fleet pulls from. */
export const fleetRepository: GitSource = {
  url: 'ssh://git@github.com/example-org/flotilla-fleet',
  branch: 'main',
};
