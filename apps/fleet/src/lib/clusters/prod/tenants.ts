import { Size } from 'cdk8s';
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
      instanceClass: 'db.m7g.large',
      allocatedStorage: Size.gibibytes(100),
      subnetIds: c.vpc.databaseSubnets.subnetIds,
      securityGroupIds: [c.securityGroup('database')],
      skipFinalSnapshot: false,
      multiAz: true,
      // From the ConfigMap team-a/web-db-outputs after the first deploy (see charts/workloads/team-a-web/README.md).
      masterUserSecretArn: c.arn('secretsmanager', 'secret:rds!db-8e7d6c5b-4a39-4281-9706-f5e4d3c2b1a0-Zy98Xw'),
    },
  }),
  comfyUi({ team: imagegen.on(c), ...comfyUiSettings(c), proxyReplicas: gateway.replicas }),
  djApi({ team: dj.on(c), ...djApiSettings(c), proxyReplicas: gateway.replicas }),
];
