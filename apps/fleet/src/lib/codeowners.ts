import type { FleetCodeOwners } from '@flotilla/config';

/** GitHub teams rendered into `.github/CODEOWNERS`: the platform group, and each team by its namespace. */
export const codeowners: FleetCodeOwners = {
  platform: '@flotilla/platform',
  teams: { dj: '@flotilla/dj', imagegen: '@flotilla/imagegen', 'team-a': '@flotilla/team-a' },
};
