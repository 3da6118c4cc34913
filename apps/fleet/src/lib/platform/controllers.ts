import type { Unit } from '@flotilla/config';
import { GPU_TAINT_TOLERATION } from '@flotilla/constructs';
import { ack } from '@flotilla/charts/platform/ack';
import { awsLoadBalancerController } from '@flotilla/charts/platform/aws-load-balancer-controller';
import { certManager } from '@flotilla/charts/platform/cert-manager';
import { crossplane } from '@flotilla/charts/platform/crossplane';
import { externalSecrets } from '@flotilla/charts/platform/external-secrets';
import { gatekeeper } from '@flotilla/charts/platform/gatekeeper';
import { karpenterController } from '@flotilla/charts/platform/karpenter';
import { kong } from '@flotilla/charts/platform/kong';
import { mountpointS3Csi } from '@flotilla/charts/platform/mountpoint-s3-csi';
import { ratify } from '@flotilla/charts/platform/ratify';
import { nvidiaDevicePlugin } from '@flotilla/charts/platform/nvidia-device-plugin';
import { reloader } from '@flotilla/charts/platform/reloader';
import { secretsStoreCsi } from '@flotilla/charts/platform/secrets-store-csi';
import { teamsOf } from '@flotilla/charts/platform/teams';
import { ACCESS_ROLE_SUFFIX, tenantBucketNamePatterns } from '@flotilla/workloads';
import type { FleetCluster } from '../fleet-defaults';
import { imagegenOutputsBucket } from '../teams';
import type { ClusterPlatform } from './settings';
import { nodePools } from './configs';
import { tenants } from './tenants';

/** Add-on controllers every cluster runs (layer infra-controllers), with its environment's settings (settings.ts). */
export const platformControllers = (c: FleetCluster, p: ClusterPlatform): Unit[] => {
  const s = p.settings;
  return [
    // The S3 controller manages (and sets bucket policies on) the teams' '<team>-*' buckets only.
    ...ack({ ...s.ack, s3BucketNamePatterns: tenantBucketNamePatterns(teamsOf(tenants(c, p))) }),
    ...externalSecrets({ ...s.externalSecrets, assumableRoleSuffixes: [ACCESS_ROLE_SUFFIX] }),
    reloader(s.reloader),
    gatekeeper({ ...s.gatekeeper, exemptNamespaces: ['kube-system', 'flux-system'] }),
    ...crossplane(s.crossplane),
    // Pods on the GPU pool may mount secrets too: the AWS provider must run on its tainted nodes.
    secretsStoreCsi({ ...s.secretsStoreCsi, providerTolerations: [GPU_TAINT_TOLERATION] }),
    // Volumes that mount with the driver's identity (authenticationSource: driver) may use these buckets.
    // comfyui mounts its outputs bucket on the GPU pool: the node plugin must tolerate its taint.
    ...mountpointS3Csi({ buckets: [{ name: imagegenOutputsBucket(c), access: 'read-write' }], tolerations: [GPU_TAINT_TOLERATION] }),
    // The GPU pool runs AL2023 (gpu.nvidiaDevicePlugin: HELM_RELEASE), whose AMIs do not advertise nvidia.com/gpu.
    nvidiaDevicePlugin(),
    // Provisions the Kong proxy's NLB (IP targets, PROXY protocol); Pod Identity with the upstream policy in this region and account.
    ...awsLoadBalancerController({ vpcId: c.vpc.id }),
    // TLS certificates for the apps' Ingress and Gateway hostnames (DNS-01 in the cluster's zones).
    ...(p.ids.dnsZones ? certManager({ dnsZones: p.ids.dnsZones }) : []),
    // The NLB connects from the VPC: Kong trusts the PROXY protocol header from there only.
    ...kong({ ...s.kong, trustedCidrs: [c.vpc.cidr] }),
    ...karpenterController({ ...s.karpenter, nodePools: nodePools(c, p) }),
    // Gatekeeper's external data provider that verifies AWS Signer signatures (unit signing.image-verification).
    ...ratify(s.ratify),
  ];
};
