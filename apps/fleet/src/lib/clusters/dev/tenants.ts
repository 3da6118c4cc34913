import type { Unit } from '@flotilla/config';
import { comfyUi } from '@flotilla/charts/workloads/comfyui';
import { djApi } from '@flotilla/charts/workloads/dj-api';
import { teamAWeb } from '@flotilla/charts/workloads/team-a-web';
import { teams } from '@flotilla/charts/platform/teams';
import type { FleetCluster } from '../../fleet-defaults';
import { gateway } from './platform-controllers';
import { comfyUiSettings, dj, djApiSettings, imagegen, teamA, teamAWebSettings } from '../../teams';

/** Teams (from the catalog, lib/teams) and their apps on this cluster. */
export const tenants = (c: FleetCluster): Unit[] => [
  teams({ teams: [teamA.on(c), imagegen.on(c), dj.on(c)] }),
  teamAWeb({
    team: teamA.on(c),
    ...teamAWebSettings(c),
    database: {
      instanceClass: 'db.t4g.micro',
      subnetIds: c.vpc.databaseSubnets.subnetIds,
      securityGroupIds: [c.securityGroup('database')],
      skipFinalSnapshot: true, // dev data is disposable
      deletionProtection: false,
      // From the ConfigMap team-a/web-db-outputs after the first deploy (see charts/workloads/team-a-web/README.md).
      masterUserSecretArn: c.arn('secretsmanager', 'secret:rds!db-3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b-Ab12Cd'),
    },
  }),
  comfyUi({ team: imagegen.on(c), ...comfyUiSettings(c), proxyReplicas: gateway.replicas }),
  djApi({ team: dj.on(c), ...djApiSettings(c), proxyReplicas: gateway.replicas }),
];
