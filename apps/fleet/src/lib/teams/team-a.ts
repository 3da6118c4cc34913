import type { ConfigDemoProps } from '@flotilla/charts/workloads/config-demo';
import type { TeamAWebProps } from '@flotilla/charts/workloads/team-a-web';
import type { FleetCluster } from '../fleet-defaults';
import { defineTeam, imageOn, type ImagePin } from './catalog';

/** team-a's settings per environment: its apps' images and autoscaling ranges. */
export interface TeamAEnvironment {
  readonly web: {
    /** @default - the app's default image */
    readonly image?: ImagePin;
    readonly minReplicas: number;
    readonly maxReplicas: number;
  };
  /** The AppConfig example app (its binding is per cluster, in the cluster's appconfig.ts). */
  readonly configDemo: {
    /** @default - the app's default image */
    readonly image?: ImagePin;
    /** The AppConfig agent sidecar's image. @default - the chart's AGENT_IMAGE (by tag) */
    readonly agentImage?: ImagePin;
    /** @default - the app's defaults */
    readonly minReplicas?: number;
    readonly maxReplicas?: number;
  };
}

/** team-a ("dev-team-a" in the issue): a web app with a PostgreSQL database. */
export const teamA = defineTeam<TeamAEnvironment>({
  name: 'team-a',
  costCenter: 'cc-1001',
  group: 'team-a-developers',
  environments: {
    dev: { web: { minReplicas: 1, maxReplicas: 2 }, configDemo: {} },
    prod: {
      // prod pins digests; refresh with `crane digest public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine`.
      web: { image: 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b', minReplicas: 3, maxReplicas: 6 },
      // Placeholders until CI resolves them; refresh with `crane digest <image>`.
      configDemo: {
        image: 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b',
        agentImage: 'public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147@sha256:7c3e1a9b5d2f4e6a8c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c',
        minReplicas: 2,
        maxReplicas: 4,
      },
    },
  },
  // The database subnets of the cluster's VPC, where the team's RDS instance lives.
  config: (c) => ({ egress: [{ name: 'postgres', cidr: c.vpc.databaseSubnets.cidr, ports: [{ port: 5432 }] }] }),
});

/** team-a-web's catalog settings on cluster `c` (the cluster adds the database). */
export function teamAWebSettings(c: FleetCluster): Pick<TeamAWebProps, 'image' | 'minReplicas' | 'maxReplicas'> {
  const { image, ...web } = teamA.settings(c).web;
  return { ...(image ? { image: imageOn(c, image) } : {}), ...web };
}

/** config-demo's catalog settings on cluster `c` (the cluster adds its AppConfig binding). */
export function configDemoSettings(c: FleetCluster): Pick<ConfigDemoProps, 'image' | 'delivery' | 'minReplicas' | 'maxReplicas'> {
  const { image, agentImage, ...replicas } = teamA.settings(c).configDemo;
  return {
    ...replicas,
    ...(image ? { image: imageOn(c, image) } : {}),
    ...(agentImage ? { delivery: { mode: 'agent-sidecar', image: imageOn(c, agentImage).toString() } } : {}),
  };
}
