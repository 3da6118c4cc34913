import type { KeyObject } from 'node:crypto';
import { clusterPath, ociTag, type ClusterConfig, type Fleet, type OciDelivery } from '@flotilla/config';
import { buildArtifact, type Artifact } from './artifact';
import { committedTree, gitRevision } from './git-revision';
import { COSIGN_SIGNATURE_ANNOTATION, COSIGN_SIMPLE_SIGNING } from './media-types';
import { PublishError } from './publish-error';
import { registryClient } from './registry-auth';
import type { RegistryClient, RegistryCredentials, RequestCounts } from './registry-client';
import { parseRegistry, repositoryReference } from './registry-endpoint';
import { publicKeyOf, signatureImage, signatureTag, verifiesPayload } from './signature';
import { loadSigningKey } from './signing-key';

export interface PublishOptions {
  readonly repoRoot: string;
  readonly fleet: Fleet;
  /** Only these clusters; each must use OCI delivery. @default - every OCI cluster */
  readonly clusters?: readonly string[];
  /** `[http(s)://]host[:port]/prefix` instead of each cluster's `delivery.registry` (mirrors, tests). @default - the typed registry */
  readonly registry?: string;
  /** Credentials for a registry other than ECR. @default - anonymous (ECR: the AWS SDK) */
  readonly credentials?: RegistryCredentials;
  /** Where `signingKey.env` is looked up. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface PublishedCluster {
  readonly cluster: string;
  /** `host[:port]/prefix/repository`. */
  readonly repository: string;
  readonly tags: readonly string[];
  /** The manifest the moving tag points at after this publish. */
  readonly digest: string;
  readonly revision: string;
  /** True when the registry already had this tree, signed with this key: nothing was written. */
  readonly unchanged: boolean;
  readonly counts: RequestCounts;
}

/**
 * Pushes every OCI cluster's committed folder as a signed Flux artifact. Per cluster: build the
 * artifact, skip when the moving tag already holds the same tree (same uncompressed tar) with a
 * valid signature by this key, else upload missing blobs, tag the commit, push the cosign
 * signature, and only then move the cluster tag, so Flux never sees an unsigned digest.
 */
export async function publish(options: PublishOptions): Promise<PublishedCluster[]> {
  const oci = options.fleet.clusters.filter((c): c is ClusterConfig & { delivery: OciDelivery } => c.delivery?.type === 'oci');
  for (const name of options.clusters ?? []) {
    const cluster = options.fleet.clusters.find((c) => c.name === name);
    if (!cluster) throw new PublishError(name, `is not in the fleet; clusters: ${options.fleet.clusters.map((c) => c.name).join(', ')}`);
    if (cluster.delivery?.type !== 'oci') throw new PublishError(name, `uses ${cluster.delivery?.type ?? 'git'} delivery; set delivery: { type: 'oci', … } in its config to publish it`);
  }
  const selected = options.clusters ? oci.filter((c) => options.clusters!.includes(c.name)) : oci;
  const results: PublishedCluster[] = [];
  for (const cluster of selected) results.push(await publishCluster(cluster, options));
  return results;
}

async function publishCluster(cluster: ClusterConfig & { delivery: OciDelivery }, options: PublishOptions): Promise<PublishedCluster> {
  const { delivery } = cluster;
  const endpoint = parseRegistry(options.registry ?? delivery.registry, cluster.name);
  const name = [endpoint.prefix, delivery.repository ?? cluster.name].filter((part) => part !== '').join('/');
  const repository = repositoryReference(endpoint, delivery.repository ?? cluster.name);
  const key = loadSigningKey(delivery.signingKey, options.repoRoot, options.env ?? process.env, cluster.name);
  const revision = gitRevision(options.repoRoot, cluster.git.branch ?? 'main');
  const artifact = buildArtifact({
    files: committedTree(options.repoRoot, clusterPath(cluster), cluster.name),
    source: cluster.git.url,
    revision: `${revision.branch}@sha1:${revision.commit}`,
    created: revision.committed,
  });
  const tag = ociTag(delivery, cluster.name);
  const client = await registryClient(endpoint, options.credentials);
  try {
    const current = await client.getManifest(name, tag);
    if (current && (await sameTree(client, name, current.data, artifact)) && (await validSignature(client, name, current.digest, publicKeyOf(key)))) {
      const revisionNow = (JSON.parse(current.data.toString('utf8')) as { annotations?: Record<string, string> }).annotations?.['org.opencontainers.image.revision'] ?? '';
      return { cluster: cluster.name, repository, tags: [tag], digest: current.digest, revision: revisionNow, unchanged: true, counts: client.counts };
    }
    await client.pushBlob(name, artifact.layer.digest, artifact.layer.data);
    await client.pushBlob(name, artifact.config.digest, artifact.config.data);
    await client.putManifest(name, revision.commit, artifact.manifest.mediaType, artifact.manifest.data);
    const signature = signatureImage(key, repository, artifact.manifest.digest);
    await client.pushBlob(name, signature.payload.digest, signature.payload.data);
    await client.pushBlob(name, signature.config.digest, signature.config.data);
    await client.putManifest(name, signatureTag(artifact.manifest.digest), signature.manifest.mediaType, signature.manifest.data);
    await client.putManifest(name, tag, artifact.manifest.mediaType, artifact.manifest.data);
    return { cluster: cluster.name, repository, tags: [revision.commit, tag], digest: artifact.manifest.digest, revision: `${revision.branch}@sha1:${revision.commit}`, unchanged: false, counts: client.counts };
  } catch (error) {
    if (error instanceof PublishError && error.cluster === undefined) throw new PublishError(cluster.name, error.message);
    throw error;
  }
}

/** Whether a manifest holds the same tree: same layer, or a config whose diff id is this tar's. */
async function sameTree(client: RegistryClient, name: string, manifest: Buffer, artifact: Artifact): Promise<boolean> {
  const parsed = JSON.parse(manifest.toString('utf8')) as { config?: { digest?: string }; layers?: { digest?: string }[] };
  if (parsed.layers?.length !== 1) return false;
  if (parsed.layers[0]!.digest === artifact.layer.digest) return true;
  if (!parsed.config?.digest) return false;
  const config = JSON.parse((await client.getBlob(name, parsed.config.digest)).toString('utf8')) as { rootfs?: { diff_ids?: string[] } };
  return config.rootfs?.diff_ids?.[0] === artifact.diffId;
}

/** Whether the registry holds a cosign signature of `digest` that `publicKey` verifies. */
async function validSignature(client: RegistryClient, name: string, digest: string, publicKey: KeyObject): Promise<boolean> {
  const manifest = await client.getManifest(name, signatureTag(digest));
  if (!manifest) return false;
  const layers = (JSON.parse(manifest.data.toString('utf8')) as { layers?: { mediaType?: string; digest?: string; annotations?: Record<string, string> }[] }).layers ?? [];
  for (const layer of layers) {
    const signature = layer.annotations?.[COSIGN_SIGNATURE_ANNOTATION];
    if (layer.mediaType !== COSIGN_SIMPLE_SIGNING || !layer.digest || !signature) continue;
    if (verifiesPayload(publicKey, await client.getBlob(name, layer.digest), signature, digest)) return true;
  }
  return false;
}
