import { apiGroupOf, type RenderedObject } from '@flotilla/model';
import { SchemaCatalog, type KubernetesVersion } from '@flotilla/schemas';
import { identityProblem } from './parse';

/** Namespaces every cluster has without anyone declaring them. */
export const BUILTIN_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system']);

/**
 * Whether a kind is namespaced, from the bundled schemas (Kubernetes 1.35, the default whose bundle
 * is loaded anyway, then the other bundled versions); undefined when the kind is unknown.
 */
export function isNamespacedKind(apiVersion: string, kind: string): boolean | undefined {
  const key = `${apiVersion}/${kind}`;
  if (scopes.has(key)) return scopes.get(key);
  const catalog = SchemaCatalog.load();
  let namespaced: boolean | undefined;
  for (const version of ['1.35', ...catalog.kubernetesVersions.filter((v) => v !== '1.35')]) {
    const info = catalog.find(apiVersion, kind, version as KubernetesVersion);
    if (info) {
      namespaced = info.scope === 'Namespaced';
      break;
    }
  }
  scopes.set(key, namespaced);
  return namespaced;
}

/** Scopes looked up so far: every object asks, and there are only a few kinds. */
const scopes = new Map<string, boolean | undefined>();

/** Objects of one cluster, indexed by group, kind, namespace and name. */
export class ClusterIndex {
  private readonly byKey = new Map<string, RenderedObject[]>();
  private readonly byKind = new Map<string, RenderedObject[]>();

  constructor(
    readonly cluster: string | undefined,
    readonly objects: readonly RenderedObject[],
  ) {
    for (const rendered of objects) {
      const { object } = rendered;
      const group = apiGroupOf(object.apiVersion);
      const key = `${group}/${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
      push(this.byKey, key, rendered);
      push(this.byKind, `${group}/${object.kind}`, rendered);
    }
  }

  /** The object with this identity; `namespace` is ignored for cluster-scoped lookups when undefined. */
  get(group: string, kind: string, namespace: string | undefined, name: string): RenderedObject | undefined {
    return this.byKey.get(`${group}/${kind}/${namespace ?? ''}/${name}`)?.[0];
  }

  has(group: string, kind: string, namespace: string | undefined, name: string): boolean {
    return this.byKey.has(`${group}/${kind}/${namespace ?? ''}/${name}`);
  }

  ofKind(group: string, kind: string): readonly RenderedObject[] {
    return this.byKind.get(`${group}/${kind}`) ?? [];
  }

  /** Identities declared more than once. */
  duplicates(): RenderedObject[][] {
    return [...this.byKey.values()].filter((list) => list.length > 1);
  }

  private producedSecrets?: Set<string>;

  /**
   * Whether a Secret will exist: declared, produced by an ExternalSecret (`spec.target.name`,
   * default its own name) or synced by a SecretProviderClass (`spec.secretObjects[].secretName`).
   */
  secretExists(namespace: string, name: string): boolean {
    if (!this.producedSecrets) {
      const produced = new Set<string>();
      for (const s of this.ofKind('', 'Secret')) produced.add(`${s.object.metadata.namespace ?? 'default'}/${s.object.metadata.name}`);
      for (const es of this.ofKind('external-secrets.io', 'ExternalSecret')) {
        produced.add(`${es.object.metadata.namespace ?? 'default'}/${field<string>(es.object.spec, 'target', 'name') ?? es.object.metadata.name}`);
      }
      for (const spc of this.ofKind('secrets-store.csi.x-k8s.io', 'SecretProviderClass')) {
        for (const entry of listOf<{ secretName?: string }>(field(spc.object.spec, 'secretObjects'))) {
          if (entry?.secretName) produced.add(`${spc.object.metadata.namespace ?? 'default'}/${entry.secretName}`);
        }
      }
      this.producedSecrets = produced;
    }
    return this.producedSecrets.has(`${namespace}/${name}`);
  }

  private helmNamespaces?: Set<string>;

  /** Built in, declared as a Namespace, or created by a HelmRelease (`install.createNamespace`). */
  namespaceExists(name: string): boolean {
    if (BUILTIN_NAMESPACES.has(name) || this.has('', 'Namespace', undefined, name)) return true;
    this.helmNamespaces ??= new Set(
      this.ofKind('helm.toolkit.fluxcd.io', 'HelmRelease')
        .filter((hr) => field(hr.object.spec, 'install', 'createNamespace') === true)
        .map((hr) => field<string>(hr.object.spec, 'targetNamespace') ?? hr.object.metadata.namespace ?? 'default'),
    );
    return this.helmNamespaces.has(name);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Objects grouped by `cluster` (objects without one form their own group). Objects without a string
 * apiVersion, kind and name are left out: the schema check reports them.
 */
export function byCluster(objects: readonly RenderedObject[]): ClusterIndex[] {
  const groups = new Map<string, RenderedObject[]>();
  for (const rendered of objects) if (!identityProblem(rendered.object)) push(groups, rendered.cluster ?? '', rendered);
  return [...groups.entries()].map(([cluster, list]) => new ClusterIndex(cluster || undefined, list));
}

/** The value when it is a list, else an empty list (rendered objects may hold anything). */
export function listOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** The value at `path` inside `value`, or undefined when any step is missing or not an object. */
export function field<T = unknown>(value: unknown, ...path: string[]): T | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current as T | undefined;
}
