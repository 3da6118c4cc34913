import type { ConfigDemoProps } from '@flotilla/charts/workloads/config-demo';
import { Size } from 'cdk8s';
import type { TeamAWebDatabaseProps, TeamAWebProps } from '@flotilla/charts/workloads/team-a-web';
import type { FleetCluster } from '../fleet-defaults';
import { releases } from '../releases';
import { awsEgressFor } from '@flotilla/workloads';
import { defineTeam, imageOn } from './catalog';

/** team-a's settings per environment: its apps' autoscaling ranges (their images are release pins, lib/releases.ts). */
export interface TeamAEnvironment {
  readonly web: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
  };
  /** team-a-web's PostgreSQL size and protection (the cluster's subnets and secret come from the cluster). */
  readonly database: Pick<TeamAWebDatabaseProps, 'instanceClass' | 'allocatedStorage' | 'skipFinalSnapshot' | 'deletionProtection' | 'multiAz'>;
  /** The AppConfig example app (its binding is per cluster, in the cluster's appconfig.ts). */
  readonly configDemo: {
    /** @default - the app's defaults */
    readonly minReplicas?: number;
    readonly maxReplicas?: number;
  };
}

/** config-demo's pods (charts/workloads/config-demo, team-a's AppConfig example). */
const CONFIG_DEMO_PODS = { 'app.kubernetes.io/name': 'config-demo' };

/** team-a ("dev-team-a" in the issue): a web app with a PostgreSQL database. */
export const teamA = defineTeam<TeamAEnvironment>({
  name: 'team-a',
  costCenter: 'cc-1001',
  group: 'team-a-developers',
  environments: {
    dev: {
      web: { minReplicas: 1, maxReplicas: 2 },
      // dev data is disposable
      database: { instanceClass: 'db.t4g.micro', skipFinalSnapshot: true, deletionProtection: false },
      configDemo: {},
    },
    staging: {
      web: { minReplicas: 2, maxReplicas: 3 },
      // staging data is disposable
      database: { instanceClass: 'db.t4g.micro', skipFinalSnapshot: true, deletionProtection: false },
      configDemo: {},
    },
    prod: {
      web: { minReplicas: 3, maxReplicas: 6 },
      database: { instanceClass: 'db.m7g.large', allocatedStorage: Size.gibibytes(100), skipFinalSnapshot: false, multiAz: true },
      configDemo: { minReplicas: 2, maxReplicas: 4 },
    },
  },
  config: (c) => ({
    egress: [
      // The database subnets of the cluster's VPC, where the team's RDS instance lives.
      { name: 'postgres', cidr: c.vpc.databaseSubnets.cidr, ports: [{ port: 5432 }] },
    ],
    // config-demo's AppConfig Agent: credentials from the node's Pod Identity Agent, HTTPS to AppConfig Data
    // through the cluster's VPC endpoint (facts vpc.endpoints) or, without one, its public endpoint.
    awsEgress: [awsEgressFor(c, { name: 'config-demo', podLabels: CONFIG_DEMO_PODS, credentials: 'pod-identity', services: ['appconfigdata'] })],
  }),
});

/** team-a-web's catalog settings on cluster `c` (the cluster adds the database). */
export function teamAWebSettings(c: FleetCluster): Pick<TeamAWebProps, 'image' | 'minReplicas' | 'maxReplicas'> {
  return { image: imageOn(c, releases.of(c.environment)['team-a-web'].web), ...teamA.settings(c).web };
}

/** config-demo's catalog settings on cluster `c` (the cluster adds its AppConfig binding). */
export function configDemoSettings(c: FleetCluster): Pick<ConfigDemoProps, 'image' | 'delivery' | 'minReplicas' | 'maxReplicas'> {
  const pins = releases.of(c.environment)['config-demo'];
  return {
    ...teamA.settings(c).configDemo,
    image: imageOn(c, pins.app),
    delivery: { mode: 'agent-sidecar', image: imageOn(c, pins.agent).toString() },
  };
}
