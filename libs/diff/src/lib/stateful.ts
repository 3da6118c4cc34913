import { apiGroupOf, joinFieldPath, type KubeObject } from '@flotilla/model';

/** ACK's per-object deletion policy annotation (`retain` keeps the AWS resource). */
export const ACK_DELETION_POLICY = 'services.k8s.aws/deletion-policy';
/** Flux skips objects with this annotation set to `disabled` when it prunes. */
export const FLUX_PRUNE = 'kustomize.toolkit.fluxcd.io/prune';

const ACK_SUFFIX = '.services.k8s.aws';

/** ACK kinds whose deletion deletes data in AWS, with what is lost. */
const ACK_STATEFUL: Record<string, Record<string, string>> = {
  'rds.services.k8s.aws': {
    DBInstance: 'the ACK RDS controller deletes the DB instance and its data in AWS',
    DBCluster: 'the ACK RDS controller deletes the DB cluster and its data in AWS',
  },
  's3.services.k8s.aws': { Bucket: 'the ACK S3 controller deletes the bucket in AWS' },
  'secretsmanager.services.k8s.aws': { Secret: 'the ACK Secrets Manager controller deletes the secret in AWS' },
  'sqs.services.k8s.aws': { Queue: 'the ACK SQS controller deletes the queue and the messages in it in AWS' },
  'prometheusservice.services.k8s.aws': { Workspace: 'the ACK prometheusservice controller deletes the AMP workspace and every sample in it in AWS' },
};

/** Crossplane's own API groups: packages, compositions, usages — not managed resources. */
const CROSSPLANE_CORE_GROUPS = new Set([
  'pkg.crossplane.io',
  'apiextensions.crossplane.io',
  'protection.crossplane.io',
  'ops.crossplane.io',
]);
const CROSSPLANE_CONFIG_KINDS = /^(Cluster)?(ProviderConfig|ProviderConfigUsage|StoreConfig)$/;

/**
 * Why deleting this object loses state, or undefined when it does not.
 *
 * Covers ACK DBInstance, DBCluster, Bucket, Secret, Queue and (AMP) Workspace, Crossplane managed resources,
 * PersistentVolumeClaims, Namespaces and CustomResourceDefinitions.
 */
export function statefulReason(object: KubeObject): string | undefined {
  const group = apiGroupOf(object.apiVersion);
  const ack = ACK_STATEFUL[group]?.[object.kind];
  if (ack) return ack;
  if (isCrossplaneManaged(object)) return 'Crossplane deletes the external resource in AWS';
  if (group === '' && object.kind === 'PersistentVolumeClaim') {
    return 'Kubernetes deletes the claim, and with a Delete reclaim policy the volume and its data';
  }
  if (group === '' && object.kind === 'Namespace') return 'Kubernetes deletes the namespace and every object in it';
  if (group === 'apiextensions.k8s.io' && object.kind === 'CustomResourceDefinition') {
    return 'Kubernetes deletes every custom resource of this type';
  }
  return undefined;
}

/** A managed resource of a Crossplane provider: group under `.upbound.io` or `.crossplane.io`, not config. */
export function isCrossplaneManaged(object: KubeObject): boolean {
  const group = apiGroupOf(object.apiVersion);
  if (!group.endsWith('.upbound.io') && !group.endsWith('.crossplane.io')) return false;
  return !CROSSPLANE_CORE_GROUPS.has(group) && !CROSSPLANE_CONFIG_KINDS.test(object.kind);
}

export interface RetentionContext {
  /** Annotations of the object's Namespace (ACK also reads `<service>.services.k8s.aws/deletion-policy` there). */
  readonly namespaceAnnotations?: Readonly<Record<string, string>>;
  /** `spec.prune` of the Flux Kustomization that applies the object. */
  readonly prune?: boolean;
}

/**
 * Why deleting this object from Git keeps the real resource, or undefined when it does not:
 * ACK `deletion-policy: retain` (on the object or its Namespace), Crossplane `deletionPolicy: Orphan`
 * or management policies without `Delete`, Flux `prune: disabled`, or a Kustomization that does not prune.
 */
export function retentionOf(object: KubeObject, context: RetentionContext = {}): string | undefined {
  const annotations = object.metadata.annotations ?? {};
  if (annotations[FLUX_PRUNE] === 'disabled') return `Flux does not prune it (annotation ${FLUX_PRUNE}: disabled)`;
  if (context.prune === false) return 'its Flux Kustomization has prune: false, so Flux leaves it in the cluster';
  const group = apiGroupOf(object.apiVersion);
  if (group.endsWith(ACK_SUFFIX)) {
    if (isRetain(annotations[ACK_DELETION_POLICY])) {
      return `the AWS resource is retained (annotation ${ACK_DELETION_POLICY}: retain)`;
    }
    const namespaced = `${group.slice(0, -ACK_SUFFIX.length)}${ACK_SUFFIX}/deletion-policy`;
    if (isRetain(context.namespaceAnnotations?.[namespaced])) {
      return `the AWS resource is retained (Namespace annotation ${namespaced}: retain)`;
    }
  }
  if (isCrossplaneManaged(object)) {
    const orphan = crossplaneOrphans((object.spec ?? {}) as CrossplaneSpec);
    if (orphan) return `Crossplane orphans the external resource (${orphan})`;
  }
  return undefined;
}

/** A switch from "keep the real resource" to "delete it" between two versions of one object. */
export interface RetentionWeakening {
  readonly path: string;
  readonly message: string;
}

/**
 * Finds deletion/retention policies switched from retain to delete: the ACK annotation
 * (retain → delete or removed), Crossplane `deletionPolicy` (Orphan → Delete) and management
 * policies, and PersistentVolume `persistentVolumeReclaimPolicy` (Retain → Delete or Recycle).
 */
export function retentionWeakenings(before: KubeObject, after: KubeObject): RetentionWeakening[] {
  const out: RetentionWeakening[] = [];
  const group = apiGroupOf(after.apiVersion);
  if (group.endsWith(ACK_SUFFIX)) {
    const old = before.metadata.annotations?.[ACK_DELETION_POLICY];
    const now = after.metadata.annotations?.[ACK_DELETION_POLICY];
    if (isRetain(old) && !isRetain(now)) {
      out.push({
        path: joinFieldPath(['metadata', 'annotations', ACK_DELETION_POLICY]),
        message:
          now === undefined
            ? `deletion policy annotation ${ACK_DELETION_POLICY}: retain is removed, so deleting the object deletes the AWS resource (the controller default is delete)`
            : `deletion policy switches from retain to ${now}, so deleting the object deletes the AWS resource`,
      });
    }
  }
  if (isCrossplaneManaged(after)) {
    const old = (before.spec ?? {}) as CrossplaneSpec;
    const now = (after.spec ?? {}) as CrossplaneSpec;
    if (crossplaneOrphans(old) && !crossplaneOrphans(now)) {
      // Name the field that decides now: deletionPolicy when the policies are absent or "*", else the list.
      const byPolicy = managementAll(now.managementPolicies);
      out.push(
        byPolicy
          ? {
              path: 'spec.deletionPolicy',
              message: `deletionPolicy switches from Orphan to ${typeof now.deletionPolicy === 'string' ? now.deletionPolicy : 'Delete (the default)'}, so deleting the object deletes the external resource`,
            }
          : {
              path: 'spec.managementPolicies',
              message: 'managementPolicies now include Delete, so deleting the object deletes the external resource',
            },
      );
    }
  }
  if (group === '' && after.kind === 'PersistentVolume') {
    const old = (before.spec as { persistentVolumeReclaimPolicy?: unknown } | undefined)?.persistentVolumeReclaimPolicy;
    const now = (after.spec as { persistentVolumeReclaimPolicy?: unknown } | undefined)?.persistentVolumeReclaimPolicy;
    if (old === 'Retain' && (now === 'Delete' || now === 'Recycle')) {
      out.push({
        path: 'spec.persistentVolumeReclaimPolicy',
        message: `persistentVolumeReclaimPolicy switches from Retain to ${now}, so releasing the claim erases the volume`,
      });
    }
  }
  return out;
}

function isRetain(value: string | undefined): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === 'retain';
}

interface CrossplaneSpec {
  readonly deletionPolicy?: unknown;
  readonly managementPolicies?: unknown;
}

/** Management policies absent (the default is `["*"]`) or containing `"*"`: deletionPolicy decides. */
function managementAll(policies: unknown): boolean {
  return !Array.isArray(policies) || policies.includes('*');
}

/**
 * Why Crossplane leaves the external resource when the managed resource is deleted, or undefined when it
 * deletes it. Like crossplane-runtime: with all policies (`["*"]`, the default) `deletionPolicy` decides;
 * with an explicit list, only `Delete` in it deletes (v2 namespaced resources have no `deletionPolicy`).
 */
export function crossplaneOrphans(spec: CrossplaneSpec): string | undefined {
  if (managementAll(spec.managementPolicies)) {
    return spec.deletionPolicy === 'Orphan' ? 'spec.deletionPolicy: Orphan' : undefined;
  }
  const policies = spec.managementPolicies as unknown[];
  return policies.includes('Delete') ? undefined : `spec.managementPolicies ${JSON.stringify(policies)} leaves out Delete`;
}
