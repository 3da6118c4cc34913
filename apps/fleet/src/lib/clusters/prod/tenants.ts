import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Unit } from '@flotilla/config';
import { comfyUi } from '@flotilla/charts/workloads/comfyui';
import { djApi } from '@flotilla/charts/workloads/dj-api';
import { teamAWeb } from '@flotilla/charts/workloads/team-a-web';
import { teams } from '@flotilla/charts/platform/teams';
import { ImageReference, type TeamConfig } from '@flotilla/workloads';

const account = '222222222222';
const region = 'eu-north-1';
const registry = `${account}.dkr.ecr.${region}.amazonaws.com`;

// prod VPC (10.20.0.0/16): database subnets and the security group that admits the cluster's pods.
const database = {
  cidr: '10.20.64.0/20',
  subnetIds: ['subnet-0f9e8d7c6b5a40001', 'subnet-0f9e8d7c6b5a40002', 'subnet-0f9e8d7c6b5a40003'],
  securityGroupId: 'sg-0f9e8d7c6b5a40010',
};

/** config-demo's pods (charts/workloads/config-demo, team-a's AppConfig example). */
const configDemoPods = { 'app.kubernetes.io/name': 'config-demo' };

/** team-a ("dev-team-a" in the issue): a web app with a PostgreSQL database. */
const teamA: TeamConfig = {
  name: 'team-a',
  costCenter: 'cc-1001',
  group: 'team-a-developers',
  egress: [
    { name: 'postgres', cidr: database.cidr, ports: [{ port: 5432 }] },
    // config-demo's AppConfig Agent: HTTPS to AppConfig Data (appconfigdata.<region>.amazonaws.com), whose
    // addresses are not fixed and which a NetworkPolicy cannot name, hence 0.0.0.0/0 on 443 for that
    // workload only (with an AppConfig interface VPC endpoint, use its subnets' CIDR instead) ...
    { name: 'config-demo-aws', cidr: '0.0.0.0/0', ports: [{ port: 443 }], podLabels: configDemoPods, reason: 'AppConfig Agent: HTTPS to AppConfig Data' },
    // ... and its credentials from the EKS Pod Identity Agent on the node's link-local address.
    { name: 'config-demo-pod-identity', cidr: '169.254.170.23/32', ports: [{ port: 80 }], podLabels: configDemoPods, reason: 'EKS Pod Identity Agent credentials' },
  ],
};

/** imagegen: the GPU image-generation service; models on instance store, outputs in S3. */
const imagegen: TeamConfig = {
  name: 'imagegen',
  costCenter: 'cc-2001',
  group: 'imagegen-developers',
  hostnames: ['comfyui.example.com'],
  // PSA has no per-path exemption and forbids hostPath below "privileged"; Gatekeeper's
  // FlotillaRestricted still enforces restricted here except comfyui's read-only hostPath.
  podSecurity: { enforce: 'privileged', reason: 'comfyui mounts the GPU nodes\' instance store read-only (hostPath /mnt/k8s-disks/0/models)' },
  quota: { cpuRequests: kplus.Cpu.units(32), memoryRequests: Size.gibibytes(128), memoryLimits: Size.gibibytes(128), gpus: 4 },
  s3Volumes: [{ claimName: 'comfyui-outputs', bucketName: `imagegen-outputs-${account}-${region}`, prefix: 'outputs/', region }],
};

/** dj: the jazz/metal API behind Kong with a v2 canary. */
const dj: TeamConfig = { name: 'dj', costCenter: 'cc-3001', group: 'dj-developers', hostnames: ['api.example.com'] };

/** Teams and their apps on this cluster. */
export const tenants: Unit[] = [
  teams({ teams: [teamA, imagegen, dj] }),
  teamAWeb({
    team: teamA,
    // prod pins digests; refresh with `crane digest public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine`.
    image: ImageReference.parse('public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b'),
    minReplicas: 3,
    maxReplicas: 6,
    database: {
      instanceClass: 'db.m7g.large',
      allocatedStorage: Size.gibibytes(100),
      subnetIds: database.subnetIds,
      securityGroupIds: [database.securityGroupId],
      skipFinalSnapshot: false,
      multiAz: true,
      // From the ConfigMap team-a/web-db-outputs after the first deploy (see charts/workloads/team-a-web/README.md).
      masterUserSecretArn: `arn:aws:secretsmanager:${region}:${account}:secret:rds!db-8e7d6c5b-4a39-4281-9706-f5e4d3c2b1a0-Zy98Xw`,
    },
  }),
  comfyUi({
    team: imagegen,
    image: ImageReference.parse(`${registry}/imagegen/comfyui:0.3.66-cu128@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945`),
    host: 'comfyui.example.com',
    replicas: 1,
  }),
  djApi({
    team: dj,
    images: {
      v1: ImageReference.parse(`${registry}/dj/http-echo:1.0.0@sha256:0c1d2e3f4a5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9`),
      v2: ImageReference.parse(`${registry}/dj/http-echo:1.1.0@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0`),
    },
    hostname: 'api.example.com',
  }),
];
