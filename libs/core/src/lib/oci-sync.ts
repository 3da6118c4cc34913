import { ECR_HOST, VERIFY_UNIT, clusterPath, goDuration, ociRepository, ociTag, resolveFluxSettings, type ClusterConfig, type OciDelivery } from '@flotilla/config';
import type { KubeObject } from '@flotilla/model';

/** Same names as `flux bootstrap` (flux-layout.ts), so the unit Kustomizations' sourceRef is unchanged. */
const NAMESPACE = 'flux-system';
const SOURCE = 'flux-system';

/**
 * The Flux objects of an OCI-delivered cluster: an OCIRepository that follows the cluster's moving
 * tag and verifies the cosign signature `flotilla publish` pushed, the root Kustomization applying
 * the cluster folder (the artifact holds only `clusters/<cluster>/`, at the same path as in Git, so
 * every Kustomization path, and what diff and validate derive from it, is the same for both
 * deliveries), and, in `flux-verify/` with its own Kustomization, the ExternalSecret that syncs the
 * public key from Secrets Manager (Flux reads every `*.pub` key of the Secret).
 *
 * @see https://fluxcd.io/flux/components/source/ocirepositories/#verification
 */
export function ociSyncObjects(cluster: ClusterConfig, delivery: OciDelivery): { sync: KubeObject[]; support: KubeObject[]; supportKustomization: KubeObject } {
  const repository = ociRepository(delivery, cluster.name);
  const host = repository.split('/')[0]!;
  const secretName = delivery.verify.secretName ?? 'cosign-public-key';
  const store = delivery.verify.store ?? { kind: 'ClusterSecretStore', name: 'platform-secrets' };
  const sync: KubeObject[] = [
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: SOURCE, namespace: NAMESPACE },
      spec: {
        interval: delivery.interval ? goDuration(delivery.interval) : '1m0s',
        // ECR: source-controller gets a token from the node/Pod Identity role, no pull Secret.
        ...(ECR_HOST.test(host) ? { provider: 'aws' } : {}),
        ref: { tag: ociTag(delivery, cluster.name) },
        url: `oci://${repository}`,
        verify: { provider: 'cosign', secretRef: { name: secretName } },
      },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: SOURCE, namespace: NAMESPACE },
      spec: {
        interval: '10m0s',
        path: `./${clusterPath(cluster)}`,
        prune: true,
        sourceRef: { kind: 'OCIRepository', name: SOURCE },
      },
    },
  ];
  const support: KubeObject[] = [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: secretName, namespace: NAMESPACE },
      spec: {
        data: [
          {
            remoteRef: { key: delivery.verify.publicKeySecret, ...(delivery.verify.property ? { property: delivery.verify.property } : {}) },
            secretKey: 'cosign.pub',
          },
        ],
        refreshInterval: '1h',
        secretStoreRef: { kind: store.kind, name: store.name },
        // Orphan: creates or updates the Secret without owning it, so it also takes over the copy
        // created by hand at bootstrap (the artifact cannot be verified before the key exists) and
        // verification keeps working if this ExternalSecret is ever deleted.
        target: { creationPolicy: 'Orphan', name: secretName },
      },
    },
  ];
  const settings = resolveFluxSettings(cluster.flux);
  // The ExternalSecret needs the External Secrets CRDs and the store, so it is applied by its own
  // Kustomization after them, not by the root one.
  const supportKustomization: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: VERIFY_UNIT, namespace: NAMESPACE },
    spec: {
      dependsOn: [...(delivery.verify.dependsOn ?? ['secret-stores'])].sort().map((name) => ({ name })),
      interval: goDuration(settings.interval),
      path: `./${clusterPath(cluster)}/${VERIFY_UNIT}`,
      prune: settings.prune,
      retryInterval: goDuration(settings.retryInterval),
      sourceRef: { kind: 'OCIRepository', name: SOURCE },
      timeout: goDuration(settings.timeout),
      wait: settings.wait,
    },
  };
  return { sync, support, supportKustomization };
}
