import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Unit } from '@flotilla/config';
import { comfyUi } from '@flotilla/charts/workloads/comfyui';
import { djApi } from '@flotilla/charts/workloads/dj-api';
import { teamAWeb } from '@flotilla/charts/workloads/team-a-web';
import { teams } from '@flotilla/charts/platform/teams';
import { ImageReference, type TeamConfig } from '@flotilla/workloads';

const account = '111111111111';
const region = 'eu-north-1';
const registry = `${account}.dkr.ecr.${region}.amazonaws.com`;

// dev VPC (10.10.0.0/16): database subnets and the security group that admits the cluster's pods.
const database = {
  cidr: '10.10.64.0/20',
  subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  securityGroupId: 'sg-0a1b2c3d4e5f60010',
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
  hostnames: ['comfyui.dev.example.com'],
  // PSA has no per-path exemption and forbids hostPath below "privileged"; Gatekeeper's
  // FlotillaRestricted still enforces restricted here except comfyui's read-only hostPath.
  podSecurity: { enforce: 'privileged', reason: 'comfyui mounts the GPU nodes\' instance store read-only (hostPath /mnt/k8s-disks/0/models)' },
  quota: { cpuRequests: kplus.Cpu.units(16), memoryRequests: Size.gibibytes(64), memoryLimits: Size.gibibytes(64), gpus: 2 },
  s3Volumes: [{ claimName: 'comfyui-outputs', bucketName: `imagegen-outputs-${account}-${region}`, prefix: 'outputs/', region }],
};

/** dj: the jazz/metal API behind Kong with a v2 canary. */
const dj: TeamConfig = { name: 'dj', costCenter: 'cc-3001', group: 'dj-developers', hostnames: ['api.dev.example.com'] };

/** Teams and their apps on this cluster. */
export const tenants: Unit[] = [
  teams({ teams: [teamA, imagegen, dj] }),
  teamAWeb({
    team: teamA,
    minReplicas: 1,
    maxReplicas: 2,
    database: {
      instanceClass: 'db.t4g.micro',
      subnetIds: database.subnetIds,
      securityGroupIds: [database.securityGroupId],
      skipFinalSnapshot: true, // dev data is disposable
      deletionProtection: false,
      // From the ConfigMap team-a/web-db-outputs after the first deploy (see charts/workloads/team-a-web/README.md).
      masterUserSecretArn: `arn:aws:secretsmanager:${region}:${account}:secret:rds!db-3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b-Ab12Cd`,
    },
  }),
  comfyUi({
    team: imagegen,
    image: ImageReference.parse(`${registry}/imagegen/comfyui:0.3.66-cu128`),
    host: 'comfyui.dev.example.com',
    replicas: 1,
  }),
  djApi({
    team: dj,
    images: { v1: ImageReference.parse(`${registry}/dj/http-echo:1.0.0`), v2: ImageReference.parse(`${registry}/dj/http-echo:1.1.0`) },
    minReplicas: 1,
    hostname: 'api.dev.example.com',
  }),
];
