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

/** config-demo's pods (charts/workloads/config-demo, team-a's AppConfig example). */
const CONFIG_DEMO_PODS = { 'app.kubernetes.io/name': 'config-demo' };

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
  config: (c) => ({
    egress: [
      // The database subnets of the cluster's VPC, where the team's RDS instance lives.
      { name: 'postgres', cidr: c.vpc.databaseSubnets.cidr, ports: [{ port: 5432 }] },
      // config-demo's AppConfig Agent: HTTPS to AppConfig Data (appconfigdata.<region>.amazonaws.com), whose
      // addresses are not fixed and which a NetworkPolicy cannot name, hence 0.0.0.0/0 on 443 for that
      // workload only (with an AppConfig interface VPC endpoint, use its subnets' CIDR instead) ...
      { name: 'config-demo-aws', cidr: '0.0.0.0/0', ports: [{ port: 443 }], podLabels: CONFIG_DEMO_PODS, reason: 'AppConfig Agent: HTTPS to AppConfig Data' },
      // ... and its credentials from the EKS Pod Identity Agent on the node's link-local address.
      { name: 'config-demo-pod-identity', cidr: '169.254.170.23/32', ports: [{ port: 80 }], podLabels: CONFIG_DEMO_PODS, reason: 'EKS Pod Identity Agent credentials' },
    ],
  }),
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
