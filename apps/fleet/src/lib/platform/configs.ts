import { alarmTopicArn, type Unit } from '@flotilla/config';
import { accountPolicies } from '@flotilla/charts/platform/account-policies';
import { ciArtifacts, ecrRepositoriesOf } from '@flotilla/charts/platform/ci-artifacts';
import { clusterIssuer } from '@flotilla/charts/platform/cert-manager';
import { fluxNotifications } from '@flotilla/charts/platform/flux-notifications';
import { gatekeeperPolicies } from '@flotilla/charts/platform/gatekeeper-policies';
import { type KarpenterNodePoolsProps, NvidiaDevicePluginSource, karpenterNodePools } from '@flotilla/charts/platform/karpenter';
import { metrics } from '@flotilla/charts/platform/metrics';
import { policyFindings } from '@flotilla/charts/platform/policy-findings';
import { secretStores } from '@flotilla/charts/platform/secret-stores';
import { signing } from '@flotilla/charts/platform/signing';
import { teamsOf } from '@flotilla/charts/platform/teams';
import { hostnameOwners } from '@flotilla/workloads';
import type { FleetCluster } from '../fleet-defaults';
import { pinnedCollectorImage } from '../metrics';
import { releases } from '../releases';
import { imagegenModelSync } from '../teams';
import { PLATFORM_HELM_RELEASE_NAMESPACES } from '../notifications';
import type { ClusterPlatform } from './settings';
import { tenants } from './tenants';

/** The cluster's Karpenter pools; the controller (controllers.ts) reads them for its feature gates. */
export function nodePools(c: FleetCluster, { settings }: ClusterPlatform): KarpenterNodePoolsProps {
  const { amiVersion, general, gpu } = settings.nodePools;
  return {
    // CostCenter on every instance and volume: the account policy denies RunInstances without it.
    nodeTags: { CostCenter: 'platform' },
    ...(amiVersion ? { amiVersion } : {}),
    general,
    // AL2023 GPU nodes; nvidia.com/gpu comes from the nvidia-device-plugin unit (controllers.ts).
    gpu: {
      ...gpu,
      nvidiaDevicePlugin: NvidiaDevicePluginSource.HELM_RELEASE,
      // comfyui's models: copied onto the instance store at boot, re-synced every 10 minutes (lib/teams/imagegen.ts).
      modelSync: imagegenModelSync(c),
    },
  };
}

/** Platform configuration every cluster runs (NodePools, secret stores, constraints, account policies, policy findings). */
export const platformConfigs = (c: FleetCluster, p: ClusterPlatform): Unit[] => {
  const { allowedPublicRepositories, ...constraints } = p.settings.constraints;
  return [
    karpenterNodePools(nodePools(c, p)),
    // Let's Encrypt through DNS-01 in the cluster's zones; apps ask for certificates with cert-manager.io/cluster-issuer.
    ...(p.ids.dnsZones ? [clusterIssuer({ email: 'platform-team@example.com', dnsZones: p.ids.dnsZones })] : []),
    // flux-system reads the commit-status token (flux-notifications) and, on OCI clusters, the cosign public key through the platform store;
    // crossplane-system the AppConfig profiles' JSON Schemas (appconfig-sync), which the provider reads from a Secret.
    secretStores({ platformNamespaces: ['flux-system', 'crossplane-system'] }),
    ...gatekeeperPolicies({
      constraints: {
        // The cluster's own ECR registry, then the environment's public namespaces.
        allowedRepositories: [`${c.registry}/`, ...allowedPublicRepositories],
        ...constraints,
        costCenterPattern: '^cc-[0-9]{4}$',
        // A route in a team namespace answers only hostnames the team owns (TeamConfig.hostnames, tenants.ts).
        hostnameOwners: hostnameOwners(teamsOf(tenants(c, p))),
        // Exact (namespace, path) pairs only, each with the workload that needs it.
        hostPathExemptions: [
          { namespace: 'imagegen', workload: 'comfyui', path: '/mnt/k8s-disks/0/models', reason: 'comfyui reads models from the GPU nodes\' RAID0 instance store (karpenter gpu EC2NodeClass)' },
        ],
        // Tenant IAM fence in team-labelled namespaces: the tenant boundary, <cluster>-<namespace>- role
        // names, trust in this cluster's pods only; IRSA stays allowed (comfyui's Mountpoint volume and
        // team-a-web's CSI secret mount use it). No managed policies: tenant roles use inline policies.
        tenantIam: { allowIrsa: true, allowedManagedPolicyArns: [] },
      },
    }),
    accountPolicies({ costCenter: { attachTo: { clusterRoleSuffixes: ['karpenter'] } } }),
    // Gatekeeper's audit results in Security Hub every 10 minutes (apps/policy-findings).
    ...policyFindings(),
    // Commit statuses on the fleet repository for every Kustomization and HelmRelease (README "Promote a release").
    // cert-manager runs only where the cluster's DNS zones are known (ids.dnsZones, controllers.ts).
    fluxNotifications({ helmReleaseNamespaces: PLATFORM_HELM_RELEASE_NAMESPACES.filter((namespace) => namespace !== 'cert-manager' || p.ids.dnsZones) }),
    // The artifacts bucket (Lambda zips) and the role GitHub Actions assumes: ECR push to the repositories this stage's pins pull from the account's ECR, upload, AWS Signer.
    ...ciArtifacts({ ecrRepositories: ecrRepositoriesOf(releases.of(c.environment)) }),
    // Metrics of the controllers in this cluster's AMP workspace, alerts to the cluster's alarm topic (declared by appconfig-sync-platform, @flotilla/config alarmTopicArn).
    ...metrics({ alertTopicArn: alarmTopicArn(c), ...collectorImage(c, p) }),
    // AWS Signer profiles, the Lambda CodeSigningConfig, Ratify's verification and the image signature constraint on the cluster's own registry (README "Supply chain").
    ...signing({
      ...(p.ids.lambdaSigningProfileVersion ? { lambdaProfileVersion: p.ids.lambdaSigningProfileVersion } : {}),
      imagePolicy: { registries: [c.registry], ...p.settings.imageSignatures },
    }),
  ];
};

/** The collector image the environment asks for (settings.ts, `metrics.collectorImage`). */
function collectorImage(c: FleetCluster, { settings }: ClusterPlatform): { collectorImage?: string } {
  switch (settings.metrics.collectorImage) {
    case 'floating':
      return {};
    case 'digest':
      return { collectorImage: pinnedCollectorImage() };
    case 'mirrored-digest':
      return { collectorImage: pinnedCollectorImage(c.registry) };
  }
}
