import type { Unit } from '@flotilla/config';
import { comfyUi } from '@flotilla/charts/workloads/comfyui';
import { djApi } from '@flotilla/charts/workloads/dj-api';
import { teamAWeb } from '@flotilla/charts/workloads/team-a-web';
import { teams } from '@flotilla/charts/platform/teams';
import type { FleetCluster } from '../fleet-defaults';
import { comfyUiSettings, dj, djApiSettings, imagegen, teamA, teamAWebSettings } from '../teams';
import type { ClusterPlatform } from './settings';

/** Teams (from the catalog, lib/teams) and their apps, on every cluster, with its environment's settings. */
export const tenants = (c: FleetCluster, p: ClusterPlatform): Unit[] => [
  teams({ teams: [teamA.on(c), imagegen.on(c), dj.on(c)] }),
  teamAWeb({
    team: teamA.on(c),
    ...teamAWebSettings(c),
    database: {
      ...teamA.settings(c).database,
      subnetIds: c.vpc.databaseSubnets.subnetIds,
      securityGroupIds: [c.securityGroup('database')],
      ...(p.ids.teamAWebDatabaseSecret ? { masterUserSecretArn: c.arn('secretsmanager', p.ids.teamAWebDatabaseSecret) } : {}),
    },
  }),
  comfyUi({ team: imagegen.on(c), ...comfyUiSettings(c), proxyReplicas: p.settings.kong.replicas }),
  djApi({ team: dj.on(c), ...djApiSettings(c), proxyReplicas: p.settings.kong.replicas }),
];
