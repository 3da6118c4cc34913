import { Duration, type Unit } from '@flotilla/config';
import { GPU_TAINT_TOLERATION } from '@flotilla/constructs';
import { ack } from '@flotilla/charts/platform/ack';
import { crossplane } from '@flotilla/charts/platform/crossplane';
import { externalSecrets } from '@flotilla/charts/platform/external-secrets';
import { gatekeeper } from '@flotilla/charts/platform/gatekeeper';
import { karpenterController } from '@flotilla/charts/platform/karpenter';
import { awsLoadBalancerController } from '@flotilla/charts/platform/aws-load-balancer-controller';
import { type DnsZone, certManager } from '@flotilla/charts/platform/cert-manager';
import { type KongProps, kong } from '@flotilla/charts/platform/kong';
import { mountpointS3Csi } from '@flotilla/charts/platform/mountpoint-s3-csi';
import { nvidiaDevicePlugin } from '@flotilla/charts/platform/nvidia-device-plugin';
import { reloader } from '@flotilla/charts/platform/reloader';
import { ACCESS_ROLE_SUFFIX, tenantBucketNamePatterns } from '@flotilla/workloads';
import { secretsStoreCsi } from '@flotilla/charts/platform/secrets-store-csi';
import { teamsOf } from '@flotilla/charts/platform/teams';
import type { FleetCluster } from '../../fleet-defaults';
import { imagegenOutputsBucket } from '../../teams';
import { nodePools } from './platform-configs';
import { tenants } from './tenants';

/** The Kong gateway's settings; the apps' rate limits are divided among its `replicas` (tenants.ts). */
export const gateway = { replicas: 3, loadBalancerScheme: 'internet-facing' } as const satisfies Omit<KongProps, 'trustedCidrs'>;

/** The public Route 53 zone of the cluster's hostnames; cert-manager answers DNS-01 challenges there (platform-configs.ts: its ClusterIssuer). */
export const dnsZones: readonly DnsZone[] = [{ zone: 'example.com', hostedZoneId: 'Z0PRD1EXAMPLE2COM3456' }];

/** Add-on controllers this cluster runs (layer infra-controllers), each with its typed settings. */
export const platformControllers = (c: FleetCluster): Unit[] => [
  // The S3 controller manages (and sets bucket policies on) the teams' '<team>-*' buckets only.
  ...ack({ logLevel: 'info', s3BucketNamePatterns: tenantBucketNamePatterns(teamsOf(tenants(c))) }),
  ...externalSecrets({ replicas: 2, concurrent: 4, assumableRoleSuffixes: [ACCESS_ROLE_SUFFIX] }),
  reloader({ replicas: 2 }),
  gatekeeper({
    replicas: 3,
    auditInterval: Duration.seconds(60),
    failurePolicy: 'Fail',
    exemptNamespaces: ['kube-system', 'flux-system'],
  }),
  ...crossplane({ replicas: 2 }),
  // Pods on the GPU pool may mount secrets too: the AWS provider must run on its tainted nodes.
  secretsStoreCsi({ rotationPollInterval: Duration.minutes(5), providerTolerations: [GPU_TAINT_TOLERATION] }),
  // comfyui mounts its outputs bucket on the GPU pool: the node plugin must tolerate its taint.
  ...mountpointS3Csi({ buckets: [{ name: imagegenOutputsBucket(c), access: 'read-write' }], tolerations: [GPU_TAINT_TOLERATION] }),
  // The GPU pool runs AL2023 (gpu.nvidiaDevicePlugin: HELM_RELEASE), whose AMIs do not advertise nvidia.com/gpu.
  nvidiaDevicePlugin(),
  // Provisions the Kong proxy's NLB (IP targets, PROXY protocol); Pod Identity with the upstream policy in this region and account.
  ...awsLoadBalancerController({ vpcId: c.vpc.id }),
  // TLS certificates for the apps' Ingress and Gateway hostnames (DNS-01 in the cluster's zone).
  ...certManager({ dnsZones }),
  // The NLB connects from the VPC: Kong trusts the PROXY protocol header from there only.
  ...kong({ ...gateway, trustedCidrs: [c.vpc.cidr] }),
  ...karpenterController({ replicas: 2, nodePools: nodePools(c) }),
];
