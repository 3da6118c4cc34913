import { Size } from 'cdk8s';
import type { Unit } from '@flotilla/config';
import { accountPolicies } from '@flotilla/charts/platform/account-policies';
import { clusterIssuer } from '@flotilla/charts/platform/cert-manager';
import { fluxNotifications } from '@flotilla/charts/platform/flux-notifications';
import { gatekeeperPolicies } from '@flotilla/charts/platform/gatekeeper-policies';
import { type KarpenterNodePoolsProps, NvidiaDevicePluginSource, karpenterNodePools } from '@flotilla/charts/platform/karpenter';
import { policyFindings } from '@flotilla/charts/platform/policy-findings';
import { secretStores } from '@flotilla/charts/platform/secret-stores';
import { hostnameOwners } from '@flotilla/workloads';
import { teamsOf } from '@flotilla/charts/platform/teams';
import type { FleetCluster } from '../../fleet-defaults';
import { tenants } from './tenants';
import { dnsZones } from './platform-controllers';
import { imagegenModelSync } from '../../teams';
import { PLATFORM_HELM_RELEASE_NAMESPACES } from '../../notifications';

/** The cluster's Karpenter pools; the controller (platform-controllers.ts) reads them for its feature gates and node role. */
export const nodePools = (c: FleetCluster): KarpenterNodePoolsProps => ({
  // CostCenter on every instance and volume: the account policy denies RunInstances without it.
  nodeTags: { CostCenter: 'platform' },
  // Pinned: `latest` would roll every prod node (drift) the day AWS publishes an AMI. Dev floats on
  // `latest` and finds a bad release first; bump this after it has run on dev.
  amiVersion: 'v20261101',
  general: { limits: { cpu: 2000, memory: Size.gibibytes(8000) } },
  // AL2023 GPU nodes; nvidia.com/gpu comes from the nvidia-device-plugin unit (platform-controllers.ts).
  gpu: {
    limits: { nvidiaGpus: 16 },
    nvidiaDevicePlugin: NvidiaDevicePluginSource.HELM_RELEASE,
    // comfyui's models: copied onto the instance store at boot, re-synced every 10 minutes (lib/teams/imagegen.ts).
    modelSync: imagegenModelSync(c),
  },
});

/** Platform configuration this cluster runs (NodePools, secret stores, constraints, account policies, policy findings). */
export const platformConfigs = (c: FleetCluster): Unit[] => [
  karpenterNodePools(nodePools(c)),
  // Let's Encrypt through DNS-01 in the cluster's zone; apps ask for certificates with cert-manager.io/cluster-issuer.
  clusterIssuer({ email: 'platform-team@example.com', dnsZones }),
  // flux-system reads the cosign public key of the OCI delivery through the platform store.
  secretStores({ platformNamespaces: ['flux-system'] }),
  ...gatekeeperPolicies({
    constraints: {
      // The account's ECR, NGINX's verified ECR Public namespace (team-a-web) and the AWS-vended
      // AppConfig agent; everything else is mirrored into ECR. Digests required below.
      allowedRepositories: [`${c.registry}/`, 'public.ecr.aws/nginx/', 'public.ecr.aws/aws-appconfig/'],
      requireImageDigests: true,
      costCenterPattern: '^cc-[0-9]{4}$',
      // A route in a team namespace answers only hostnames the team owns (TeamConfig.hostnames, tenants.ts).
      hostnameOwners: hostnameOwners(teamsOf(tenants(c))),
      // The apps' Kong rate-limiting plugins; dj's Gateway is the internet-facing one.
      routeRateLimit: { acceptedPlugins: ['comfyui-rate-limit', 'dj-rate-limit'], externalGateways: ['dj/dj'] },
      // Exact (namespace, path) pairs only, each with the workload that needs it.
      hostPathExemptions: [
        { namespace: 'imagegen', workload: 'comfyui', path: '/mnt/k8s-disks/0/models', reason: 'comfyui reads models from the GPU nodes\' RAID0 instance store (karpenter gpu EC2NodeClass)' },
      ],
      // Tenant IAM fence in team-labelled namespaces: the tenant boundary, <cluster>-<namespace>- role
      // names, trust in this cluster's pods only; IRSA stays allowed (comfyui's Mountpoint volume and
      // team-a-web's CSI secret mount use it). No managed policies: tenant roles use inline policies.
      tenantIam: { allowIrsa: true, allowedManagedPolicyArns: [] },
      // Pod Security "restricted" (FlotillaRestricted) denies, as every other constraint here.
      restrictedEnforcementAction: 'deny',
    },
  }),
  accountPolicies({ costCenter: { attachTo: { clusterRoleSuffixes: ['karpenter'] } } }),
  // Gatekeeper's audit results in Security Hub every 10 minutes (apps/policy-findings).
  ...policyFindings(),
  // Commit statuses on the fleet repository for every Kustomization and HelmRelease (README "Promote a release").
  fluxNotifications({ helmReleaseNamespaces: PLATFORM_HELM_RELEASE_NAMESPACES }),
];
