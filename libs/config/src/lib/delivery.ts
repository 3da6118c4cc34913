import type { Duration } from './duration';

/** Flux pulls the cluster's folder from Git, as `flux bootstrap` sets it up. */
export interface GitDelivery {
  readonly type: 'git';
}

/**
 * Flux pulls the cluster's rendered folder as a signed OCI artifact that `flotilla publish` pushes
 * (the format `flux push artifact` produces), and verifies its cosign signature before applying it.
 */
export interface OciDelivery {
  readonly type: 'oci';
  /**
   * Registry host and path prefix, `host[:port]/prefix`, e.g.
   * `222222222222.dkr.ecr.eu-north-1.amazonaws.com/flotilla`. Amazon ECR hosts make Flux and
   * `flotilla publish` authenticate through AWS (`provider: aws`, `GetAuthorizationToken`).
   */
  readonly registry: string;
  /** Repository under the prefix. @default - the cluster name */
  readonly repository?: string;
  /** The moving tag Flux follows; every publish also tags the commit. @default - the cluster name */
  readonly tag?: string;
  /** How often Flux checks the tag for a new digest. @default Duration.minutes(1) */
  readonly interval?: Duration;
  /** The cosign public key Flux verifies the artifact with. */
  readonly verify: OciVerification;
  /** Where `flotilla publish` reads the PEM private key that signs the artifact (never committed). */
  readonly signingKey: SigningKeyReference;
}

/**
 * The cosign public key, stored in AWS Secrets Manager and synced into `flux-system` by an
 * ExternalSecret (the Secret key is `cosign.pub`, as `spec.verify.secretRef` expects).
 */
export interface OciVerification {
  /** Secrets Manager secret name or ARN whose value is the PEM public key. */
  readonly publicKeySecret: string;
  /** JSON property of the secret value holding the key. @default - the whole secret value */
  readonly property?: string;
  /** Store the ExternalSecret reads through. @default { kind: 'ClusterSecretStore', name: 'platform-secrets' } */
  readonly store?: { readonly kind: 'ClusterSecretStore' | 'SecretStore'; readonly name: string };
  /** Name of the synced Secret in flux-system. @default 'cosign-public-key' */
  readonly secretName?: string;
  /**
   * Units the ExternalSecret's Flux Kustomization (`flux-verify`) waits for: the one rendering the
   * store, which itself follows the External Secrets controller.
   *
   * @default ['secret-stores']
   */
  readonly dependsOn?: readonly string[];
}

/** Folder and Flux Kustomization of the verification key's ExternalSecret in an OCI cluster. */
export const VERIFY_UNIT = 'flux-verify';

/** A PEM (PKCS#8 or SEC1) ECDSA P-256 private key, from an environment variable or a file outside Git. */
export type SigningKeyReference = { readonly env: string } | { readonly file: string };

/** A cluster's delivery channel. */
export type Delivery = GitDelivery | OciDelivery;

/** `<account>.dkr.ecr.<region>.amazonaws.com` (and the `.com.cn` partition). */
export const ECR_HOST = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** The OCI repository (`host[:port]/prefix/repository`, no scheme, no tag) of an OCI cluster. */
export function ociRepository(delivery: OciDelivery, clusterName: string, registry: string = delivery.registry): string {
  return `${registry.replace(/\/+$/, '')}/${delivery.repository ?? clusterName}`;
}

/** The moving tag Flux follows. */
export function ociTag(delivery: OciDelivery, clusterName: string): string {
  return delivery.tag ?? clusterName;
}

const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** What is wrong with a cluster's delivery settings, one message per problem (empty when valid). */
export function deliveryProblems(where: string, delivery: Delivery | undefined, units: readonly string[]): string[] {
  if (!delivery || delivery.type === 'git') return [];
  const problems: string[] = [];
  for (const unit of delivery.verify?.dependsOn ?? ['secret-stores']) {
    if (!units.includes(unit)) {
      problems.push(`${where}: 'delivery.verify.dependsOn' names unit '${unit}', which this cluster does not run; add it, or list the unit that renders the store '${delivery.verify?.store?.name ?? 'platform-secrets'}'`);
    }
  }
  if (units.includes(VERIFY_UNIT)) problems.push(`${where}: unit name '${VERIFY_UNIT}' is taken by OCI delivery (the verification key's Kustomization); rename the unit`);
  if (!REGISTRY.test(delivery.registry)) {
    problems.push(`${where}: 'delivery.registry' must be 'host[:port]/prefix' in lowercase without a scheme, e.g. '222222222222.dkr.ecr.eu-north-1.amazonaws.com/flotilla', got '${delivery.registry}'`);
  }
  if (delivery.repository !== undefined && !REPOSITORY.test(delivery.repository)) {
    problems.push(`${where}: 'delivery.repository' must be an OCI repository path (lowercase, '/'-separated), got '${delivery.repository}'`);
  }
  if (delivery.tag !== undefined && !TAG.test(delivery.tag)) {
    problems.push(`${where}: 'delivery.tag' must be an OCI tag (letters, digits, '_', '.', '-', at most 128), got '${delivery.tag}'`);
  }
  if (!delivery.verify?.publicKeySecret) {
    problems.push(`${where}: 'delivery.verify.publicKeySecret' is empty; name the Secrets Manager secret holding the cosign public key`);
  }
  const key = delivery.signingKey as { env?: unknown; file?: unknown } | undefined;
  if (!key || (typeof key.env === 'string') === (typeof key.file === 'string') || (key.env ?? key.file) === '') {
    problems.push(`${where}: 'delivery.signingKey' must be { env: '<VARIABLE>' } or { file: '<path>' } (exactly one), got ${JSON.stringify(key)}`);
  }
  return problems;
}
