import { ECR_HOST, goDuration, ociRepository, ociTag, type ClusterConfig, type OciDelivery } from '@flotilla/config';
import type { KubeObject } from '@flotilla/model';

/** Same names as `flux bootstrap` (flux-layout.ts), so the unit Kustomizations' sourceRef is unchanged. */
const NAMESPACE = 'flux-system';
const SOURCE = 'flux-system';

/**
 * The Flux objects of an OCI-delivered cluster: an OCIRepository that follows the cluster's moving
 * tag and verifies the cosign signature `flotilla publish` pushed, the root Kustomization applying
 * the artifact's root (the artifact holds only `clusters/<cluster>/`), and the ExternalSecret that
 * syncs the public key from Secrets Manager (Flux reads every `*.pub` key of the Secret).
 *
 * @see https://fluxcd.io/flux/components/source/ocirepositories/#verification
 */
export function ociSyncObjects(cluster: ClusterConfig, delivery: OciDelivery): { sync: KubeObject[]; support: KubeObject[] } {
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
        path: './',
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
        target: { creationPolicy: 'Owner', name: secretName },
      },
    },
  ];
  return { sync, support };
}
