import type { Unit } from '@flotilla/config';
import { teamAWeb } from '@flotilla/apps/team-a-web';
import { teams } from '@flotilla/charts/teams';

/** Teams and their apps on this cluster. */
export const tenants: Unit[] = [teams({ teams: [{ name: 'team-a', costCenter: 'cc-1001' }] }), teamAWeb({ replicas: 3 })];
