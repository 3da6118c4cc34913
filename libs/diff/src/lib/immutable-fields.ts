import { apiGroupOf, joinFieldPath, type KubeObject } from '@flotilla/model';
import { sameValue } from './field-diff';

/** Flux deletes and re-creates an object with this annotation set to `enabled` when an in-place apply fails. */
export const FLUX_FORCE = 'kustomize.toolkit.fluxcd.io/force';

/** A field the API server refuses to change on an existing object. */
export interface ImmutableChange {
  readonly path: string;
  readonly message: string;
}

/**
 * Fields of built-in kinds that the Kubernetes API server refuses to update (its validation code,
 * not CRD rules). Only the well-known cases that rendered manifests hit are listed.
 */
const BUILT_IN: Record<string, readonly (readonly string[])[]> = {
  'apps/Deployment': [['spec', 'selector']],
  'apps/ReplicaSet': [['spec', 'selector']],
  'apps/DaemonSet': [['spec', 'selector']],
  'apps/StatefulSet': [
    ['spec', 'selector'],
    ['spec', 'serviceName'],
    ['spec', 'volumeClaimTemplates'],
    ['spec', 'podManagementPolicy'],
  ],
  'batch/Job': [
    ['spec', 'selector'],
    ['spec', 'template'],
  ],
  '/Service': [['spec', 'clusterIP']],
  '/PersistentVolumeClaim': [
    ['spec', 'accessModes'],
    ['spec', 'storageClassName'],
    ['spec', 'volumeMode'],
    ['spec', 'dataSource'],
    ['spec', 'selector'],
  ],
  'storage.k8s.io/StorageClass': [['provisioner'], ['parameters'], ['reclaimPolicy'], ['volumeBindingMode']],
  'rbac.authorization.k8s.io/RoleBinding': [['roleRef']],
  'rbac.authorization.k8s.io/ClusterRoleBinding': [['roleRef']],
};

/** Changes to fields of built-in kinds that the API server rejects on update. */
export function builtInImmutableChanges(before: KubeObject, after: KubeObject): ImmutableChange[] {
  const type = `${apiGroupOf(after.apiVersion)}/${after.kind}`;
  const out: ImmutableChange[] = [];
  for (const segments of BUILT_IN[type] ?? []) {
    const old = valueAt(before, segments);
    const now = valueAt(after, segments);
    // An unset field is filled in by the server (e.g. a Service's clusterIP), so only a set → other value counts.
    if (old === undefined || sameValue(old, now)) continue;
    out.push({ path: joinFieldPath(segments), message: `field ${joinFieldPath(segments)} is immutable, the API server will reject this change` });
  }
  if ((type === '/ConfigMap' || type === '/Secret') && before.immutable === true) {
    for (const field of ['data', 'binaryData', 'stringData', 'immutable']) {
      if (!sameValue(before[field], after[field])) {
        out.push({ path: field, message: `field ${field} of an immutable ${after.kind} cannot change, the API server will reject this change` });
      }
    }
  }
  return out;
}

function valueAt(object: unknown, segments: readonly string[]): unknown {
  let value = object;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
