/**
 * A Kubernetes object as it is rendered: plain JSON, no tokens or lazies left.
 */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly [field: string]: unknown;
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The version part of an apiVersion: `apps/v1` → `v1`. */
export function apiVersionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** Human-readable identity used in every message: `Deployment team-a/web` or `Namespace team-a`. */
export function describeObject(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const ns = object.metadata?.namespace;
  return ns ? `${object.kind} ${ns}/${object.metadata.name}` : `${object.kind} ${object.metadata?.name}`;
}

/** Stable identity key: group, kind, namespace and name. */
export function objectKey(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  return `${apiGroupOf(object.apiVersion)}/${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
}
