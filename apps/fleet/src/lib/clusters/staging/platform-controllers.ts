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
import { teamsOf } from '@flotilla/charts/platform/teams';
import { secretsStoreCsi } from '@flotilla/charts/platform/secrets-store-csi';
import type { FleetCluster } from '../../fleet-defaults';
import { imagegenOutputsBucket } from '../../teams';
import { nodePools } from './platform-configs';
import { tenants } from './tenants';

/** The Kong gateway's settings; the apps' rate limits are divided among its `replicas` (tenants.ts). */
export const gateway = { replicas: 1, proxyLogLevel: 'info', controllerLogLevel: 'debug', loadBalancerScheme: 'internal' } as const satisfies Omit<KongProps, 'trustedCidrs'>;

/** The public Route 53 zone of the cluster's hostnames; cert-manager answers DNS-01 challenges there (platform-configs.ts: its ClusterIssuer). */
export const dnsZones: readonly DnsZone[] = [{ zone: 'staging.example.com', hostedZoneId: 'Z0STG1EXAMPLE2COM3456' }];

/** Add-on controllers this cluster runs (layer infra-controllers), each with its typed settings. */
export const platformControllers = (c: FleetCluster): Unit[] => [
  // Debug logs and a short resync make ACK drift visible quickly while developing.
  // The S3 controller manages (and sets bucket policies on) the teams' '<team>-*' buckets only.
  ...ack({ logLevel: 'debug', resyncPeriod: Duration.hours(1), s3BucketNamePatterns: tenantBucketNamePatterns(teamsOf(tenants(c))) }),
  ...externalSecrets({ replicas: 1, logLevel: 'debug', assumableRoleSuffixes: [ACCESS_ROLE_SUFFIX] }),
  reloader({ replicas: 1, reloadOnCreate: true }),
  gatekeeper({
    replicas: 1,
    auditInterval: Duration.minutes(5),
    logLevel: 'INFO',
    // dev keeps working while Gatekeeper restarts; prod fails closed.
    failurePolicy: 'Ignore',
    exemptNamespaces: ['kube-system', 'flux-system'],
  }),
  ...crossplane({ replicas: 1, debug: true }),
  // Pods on the GPU pool may mount secrets too: the AWS provider must run on its tainted nodes.
  secretsStoreCsi({ rotationPollInterval: Duration.minutes(2), providerTolerations: [GPU_TAINT_TOLERATION] }),
  // Volumes that mount with the driver's identity (authenticationSource: driver) may use these buckets.
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
  ...karpenterController({ replicas: 1, nodePools: nodePools(c) }),
];
