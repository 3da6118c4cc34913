import type { AlarmSettings } from './alarms';
import type { ClusterRelease } from './mutable-references';
import { CLUSTERS_DIR } from './cluster-files';
import type { Delivery } from './delivery';
import type { FluxLockdown } from './flux-lockdown';
import type { FluxSettings } from './flux-settings';
import type { Unit } from './unit';

export type Environment = 'dev' | 'staging' | 'prod';
/**
 * The Kubernetes minor versions Flotilla has schemas for: every version Amazon EKS supports in
 * standard support. Adding one: vendor its definitions (libs/upstream, `nx run upstream:refresh`),
 * regenerate the schemas and add it here; a test keeps this list and the schema bundles equal.
 */
export type KubernetesVersion = '1.34' | '1.35' | '1.36';
// The union above is what the cluster generator reads; this is the same list for runtime checks.
export const KUBERNETES_VERSIONS: readonly KubernetesVersion[] = ['1.34', '1.35', '1.36'];

/** The Git repository Flux pulls this cluster's rendered folder from. */
export interface GitSource {
  /** Clone URL, e.g. `ssh://git@github.com/acme/fleet`. */
  readonly url: string;
  /** @default 'main' */
  readonly branch?: string;
  /**
   * Folder Flux reconciles, relative to the repository root (`flux bootstrap --path`).
   *
   * @default - `clusters/<cluster name>`, the `flux bootstrap` / `eksctl enable flux` convention
   */
  readonly path?: string;
  /** Secret with the deploy key, written by `flux bootstrap`. @default 'flux-system' */
  readonly secretName?: string;
}

/** How workloads get AWS credentials. */
export interface ClusterIdentity {
  /** The cluster's OIDC issuer URL (for IRSA trust policies), `https://oidc.eks.<region>.amazonaws.com/id/<ID>`. */
  readonly oidcIssuerUrl: string;
  /**
   * Default mechanism for new roles.
   *
   * @default 'pod-identity'
   */
  readonly defaultMode?: 'pod-identity' | 'irsa';
}

/** Identities that must exist before the in-cluster IAM controller can create the rest. */
export interface BootstrapIdentities {
  /** Role the ACK IAM controller runs as (created outside the cluster, e.g. by the account baseline). */
  readonly ackIamControllerRoleArn: string;
}

/**
 * One EKS cluster of the fleet. Clusters differ only through these values; every chart and app
 * renders from them.
 */
export interface ClusterConfig {
  /** Folder name under `clusters/`, a DNS label. */
  readonly name: string;
  /** The EKS cluster name in AWS. @default - same as `name` */
  readonly eksClusterName?: string;
  /** 12-digit AWS account id. */
  readonly account: string;
  /** AWS region, e.g. `eu-north-1`. */
  readonly region: string;
  readonly environment: Environment;
  /** Kubernetes minor version (one of {@link KUBERNETES_VERSIONS}); selects the schemas objects are validated against. */
  readonly kubernetesVersion: KubernetesVersion;
  readonly identity: ClusterIdentity;
  /** Tag that marks the cluster's subnets and security groups for discovery (Karpenter, load balancers). */
  readonly discoveryTag: { readonly key: string; readonly value: string };
  readonly git: GitSource;
  /**
   * How Flux gets this cluster's rendered folder: from Git, or as a signed OCI artifact that
   * `flotilla publish` pushes from CI (see README, "Delivery").
   *
   * @default { type: 'git' }
   */
  readonly delivery?: Delivery;
  readonly bootstrap: BootstrapIdentities;
  /** Where build artifacts (e.g. Lambda zips) are uploaded for this cluster's account. @default - none */
  readonly artifacts?: { readonly bucket: string; readonly prefix?: string };
  /** Where the cluster's alarms go (its SNS topic). @default - see {@link AlarmSettings} */
  readonly alarms?: AlarmSettings;
  /** Overrides of the fleet's Flux defaults. @default - DEFAULT_FLUX_SETTINGS */
  readonly flux?: Partial<FluxSettings>;
  /** Flux multi-tenancy lockdown (controller flags); `false` turns it off. @default - all of {@link FluxLockdown} on */
  readonly fluxLockdown?: FluxLockdown | false;
  /** Platform charts and apps this cluster runs, each with its settings. */
  readonly units: readonly Unit[];
  /**
   * The cluster's stage: whether it is immutable, its chart pins, the reviewed exceptions. Set by
   * `defineFleet` from `Fleet.releases`; not written by hand.
   *
   * @default - no stage: catalog chart versions, no immutability check
   */
  readonly release?: ClusterRelease;
}

/** The path Flux reconciles for a cluster. */
export function clusterPath(cluster: ClusterConfig): string {
  return cluster.git.path ?? `${CLUSTERS_DIR}/${cluster.name}`;
}
