import type { ContextQuery } from '@flotilla/core';
import type { RenderedObject } from '@flotilla/model';
import { SCHEDULING_CAPACITY_KINDS } from '@flotilla/scheduling';

/**
 * Kinds whose objects the checks look up across namespaces: Flux objects (sources, dependencies, the
 * service accounts HelmReleases create, charts that install pods or CRDs), what the scheduling check
 * counts on every node (DaemonSets, HelmReleases, volumes, pools) and Crossplane's runtime configs.
 */
const CROSS_NAMESPACE_KINDS: ReadonlySet<string> = new Set([
  'Kustomization',
  'HelmRelease',
  'HelmRepository',
  'HelmChart',
  'GitRepository',
  'OCIRepository',
  'Bucket',
  'Alert',
  'Provider',
  'Receiver',
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
  'DeploymentRuntimeConfig',
  ...SCHEDULING_CAPACITY_KINDS,
]);

/** Keys under which Kubernetes and controller APIs name another object's namespace. */
const NAMESPACE_KEYS: ReadonlySet<string> = new Set(['namespace', 'targetNamespace', 'storageNamespace']);

/**
 * What the checks need from the rest of a cluster to judge `judged` (a scoped synth's render): every
 * namespace the judged objects live in, declare or name in a `namespace`-like field (a reference to
 * another namespace is always spelled that way), plus the cross-namespace kinds; cluster-scoped
 * objects always come along. A test compares the findings with a whole-cluster context for every
 * project of the example fleet.
 */
export function contextQueryFor(judged: readonly RenderedObject[]): ContextQuery {
  const namespaces = new Set<string>(['default', 'flux-system']);
  for (const { object } of judged) {
    if (object.kind === 'Namespace' && object.metadata?.name) namespaces.add(object.metadata.name);
    collectNamespaces(object, namespaces, 0);
  }
  return { namespaces, kinds: CROSS_NAMESPACE_KINDS };
}

function collectNamespaces(value: unknown, into: Set<string>, depth: number): void {
  if (depth > 64 || !value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectNamespaces(item, into, depth + 1);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (NAMESPACE_KEYS.has(key) && typeof child === 'string') into.add(child);
    else collectNamespaces(child, into, depth + 1);
  }
}
