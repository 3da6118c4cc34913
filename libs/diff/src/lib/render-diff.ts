import { apiGroupOf, describeObject, objectKey, type KubeObject, type RenderedObject } from '@flotilla/model';
import { canonicalJson, diffFields, sameValue, type FieldChange } from './field-diff';
import { KustomizationIndex, NO_CLUSTER, NO_KUSTOMIZATION, type FluxKustomization } from './ownership';

export type ChangeType = 'added' | 'removed' | 'changed' | 'renamed' | 'moved';

/** Where one version of an object lives. */
export interface ObjectLocation {
  /** `Kind namespace/name`. */
  readonly object: string;
  /** `group/Kind/namespace/name`, see `objectKey`. */
  readonly key: string;
  readonly file: string;
  /** `namespace/name` of the Flux Kustomization that applies the file, or `(none)`. */
  readonly kustomization: string;
}

/** One resource that differs between base and head. */
export interface ResourceChange {
  readonly type: ChangeType;
  readonly cluster: string;
  readonly apiGroup: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** `Kind namespace/name` of the head version (the base version for removals). */
  readonly object: string;
  readonly key: string;
  /** File of the head version (the base version for removals). */
  readonly file: string;
  /** Kustomization of the head version (the base version for removals). */
  readonly kustomization: string;
  /** For `renamed` and `moved`: where the base version was. */
  readonly from?: ObjectLocation;
  /** Fields that differ, for `changed` and `moved` (a `renamed` object differs only in name or namespace). */
  readonly fields: readonly FieldChange[];
  /** The base version; absent for `added`. */
  readonly base?: KubeObject;
  /** The head version; absent for `removed`. */
  readonly head?: KubeObject;
}

export interface DiffCounts {
  added: number;
  changed: number;
  removed: number;
  renamed: number;
  moved: number;
}

export interface KustomizationDiff {
  /** `namespace/name`, or `(none)` for files no Flux Kustomization applies. */
  readonly kustomization: string;
  /** The folder it applies, relative to the repository root. */
  readonly path?: string;
  readonly changes: readonly ResourceChange[];
}

export interface ClusterDiff {
  readonly cluster: string;
  readonly counts: DiffCounts;
  readonly kustomizations: readonly KustomizationDiff[];
}

/** What changed between two renders, grouped cluster → Flux Kustomization → resource. */
export interface RenderDiff {
  /** Every cluster present in base or head, sorted; unchanged clusters have no Kustomizations. */
  readonly clusters: readonly ClusterDiff[];
  readonly totals: DiffCounts;
  /** Flux Kustomizations of each render: the guard reads `prune` from them. */
  readonly fluxKustomizations: { readonly base: readonly FluxKustomization[]; readonly head: readonly FluxKustomization[] };
  /** Annotations of the base render's Namespaces, by `cluster/namespace` (ACK reads deletion policy there too). */
  readonly baseNamespaceAnnotations: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * Compares two renders by object identity (API group, kind, namespace, name) within each cluster.
 *
 * - same identity, different content → `changed` (with the field paths);
 * - same identity in another file or Kustomization → `moved` (with field changes, if any);
 * - a removed and an added object of the same group and kind whose content is identical except
 *   name and namespace → `renamed`;
 * - everything else is `added` or `removed`.
 */
export function diffRenders(base: readonly RenderedObject[], head: readonly RenderedObject[]): RenderDiff {
  const baseOwners = new KustomizationIndex(base);
  const headOwners = new KustomizationIndex(head);
  const located = (items: readonly RenderedObject[], owners: KustomizationIndex) =>
    items.map((item) => ({ ...item, kustomization: owners.ownerOf(item.file)?.id ?? NO_KUSTOMIZATION }));
  const baseItems = located(base, baseOwners);
  const headItems = located(head, headOwners);

  const changes: ResourceChange[] = [];
  const headByKey = groupBy(headItems, identityOf);
  const unmatchedBase: Located[] = [];
  for (const item of baseItems) {
    const candidates = headByKey.get(identityOf(item));
    const match = candidates?.shift();
    if (match) {
      const change = compareSameIdentity(item, match);
      if (change) changes.push(change);
    } else {
      unmatchedBase.push(item);
    }
  }
  const unmatchedHead = [...headByKey.values()].flat();
  const renames = pairRenames(unmatchedBase, unmatchedHead);
  for (const [from, to] of renames) changes.push(renamedChange(from, to));
  const renamedBase = new Set(renames.map(([from]) => from));
  const renamedHead = new Set(renames.map(([, to]) => to));
  for (const item of unmatchedBase) if (!renamedBase.has(item)) changes.push(singleChange('removed', item));
  for (const item of unmatchedHead) if (!renamedHead.has(item)) changes.push(singleChange('added', item));

  const clusters = [...new Set([...base, ...head].map((item) => item.cluster ?? NO_CLUSTER))].sort();
  const clusterDiffs = clusters.map((cluster) => clusterDiff(cluster, changes, headOwners, baseOwners));
  return {
    clusters: clusterDiffs,
    totals: sumCounts(clusterDiffs.map((diff) => diff.counts)),
    fluxKustomizations: { base: baseOwners.all(), head: headOwners.all() },
    baseNamespaceAnnotations: namespaceAnnotations(base),
  };
}

/** True when nothing changed. */
export function isUnchanged(diff: RenderDiff): boolean {
  const t = diff.totals;
  return t.added + t.changed + t.removed + t.renamed + t.moved === 0;
}

/** Every change, in output order (cluster, Kustomization, resource). */
export function allChanges(diff: RenderDiff): ResourceChange[] {
  return diff.clusters.flatMap((cluster) => cluster.kustomizations.flatMap((k) => [...k.changes]));
}

type Located = RenderedObject & { readonly kustomization: string };

function identityOf(item: RenderedObject): string {
  return `${item.cluster ?? NO_CLUSTER}\u241f${objectKey(item.object)}`;
}

function compareSameIdentity(before: Located, after: Located): ResourceChange | undefined {
  const moved = before.kustomization !== after.kustomization || before.file !== after.file;
  const same = sameValue(before.object, after.object);
  if (same && !moved) return undefined;
  const fields = same ? [] : diffFields(before.object, after.object, hiddenFor(after.object));
  return {
    ...identityFields(after),
    type: moved ? 'moved' : 'changed',
    from: moved ? locationOf(before) : undefined,
    fields,
    base: before.object,
    head: after.object,
  };
}

function renamedChange(before: Located, after: Located): ResourceChange {
  return {
    ...identityFields(after),
    type: 'renamed',
    from: locationOf(before),
    fields: [],
    base: before.object,
    head: after.object,
  };
}

function singleChange(type: 'added' | 'removed', item: Located): ResourceChange {
  return {
    ...identityFields(item),
    type,
    fields: [],
    ...(type === 'added' ? { head: item.object } : { base: item.object }),
  };
}

function identityFields(item: Located) {
  const { object } = item;
  return {
    cluster: item.cluster ?? NO_CLUSTER,
    apiGroup: apiGroupOf(object.apiVersion),
    kind: object.kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    object: describeObject(object),
    key: objectKey(object),
    file: item.file,
    kustomization: item.kustomization,
  };
}

function locationOf(item: Located): ObjectLocation {
  return {
    object: describeObject(item.object),
    key: objectKey(item.object),
    file: item.file,
    kustomization: item.kustomization,
  };
}

/** Same cluster, group and kind, and identical content once name and namespace are set aside. */
function pairRenames(removed: Located[], added: Located[]): [Located, Located][] {
  const fingerprint = (item: Located) =>
    `${item.cluster ?? NO_CLUSTER}\u241f${apiGroupOf(item.object.apiVersion)}\u241f${item.object.kind}\u241f${canonicalJson(withoutIdentity(item.object))}`;
  const addedByPrint = groupBy(added, fingerprint);
  const pairs: [Located, Located][] = [];
  for (const item of removed) {
    const match = addedByPrint.get(fingerprint(item))?.shift();
    if (match) pairs.push([item, match]);
  }
  return pairs;
}

function withoutIdentity(object: KubeObject): unknown {
  const { name: _name, namespace: _namespace, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** Secret values are never printed, not even short ones. */
function hiddenFor(object: KubeObject) {
  const isSecret = object.kind === 'Secret' && apiGroupOf(object.apiVersion) === '';
  return isSecret ? { hiddenPrefixes: [['data'], ['stringData']] } : {};
}

function clusterDiff(
  cluster: string,
  changes: readonly ResourceChange[],
  headOwners: KustomizationIndex,
  baseOwners: KustomizationIndex,
): ClusterDiff {
  const mine = changes.filter((change) => change.cluster === cluster);
  const byKustomization = groupBy(mine, (change) => change.kustomization);
  const paths = new Map(
    [...baseOwners.all(), ...headOwners.all()].filter((k) => k.cluster === cluster).map((k) => [k.id, k.path]),
  );
  const kustomizations = [...byKustomization.entries()]
    .sort(([a], [b]) => compareKustomizations(a, b))
    .map(([kustomization, list]) => ({
      kustomization,
      ...(paths.has(kustomization) ? { path: paths.get(kustomization) } : {}),
      changes: list.sort(compareChanges),
    }));
  return { cluster, counts: countChanges(mine), kustomizations };
}

const TYPE_ORDER: Record<ChangeType, number> = { removed: 0, renamed: 1, moved: 2, changed: 3, added: 4 };

function compareChanges(a: ResourceChange, b: ResourceChange): number {
  return TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.key.localeCompare(b.key);
}

/** Real Kustomizations first, by name; the "(none)" bucket last. */
function compareKustomizations(a: string, b: string): number {
  if (a === NO_KUSTOMIZATION || b === NO_KUSTOMIZATION) return a === b ? 0 : a === NO_KUSTOMIZATION ? 1 : -1;
  return a.localeCompare(b);
}

function countChanges(changes: readonly ResourceChange[]): DiffCounts {
  const counts: DiffCounts = { added: 0, changed: 0, removed: 0, renamed: 0, moved: 0 };
  for (const change of changes) counts[change.type]++;
  return counts;
}

function sumCounts(list: readonly DiffCounts[]): DiffCounts {
  const total: DiffCounts = { added: 0, changed: 0, removed: 0, renamed: 0, moved: 0 };
  for (const counts of list) for (const type of Object.keys(total) as ChangeType[]) total[type] += counts[type];
  return total;
}

function namespaceAnnotations(objects: readonly RenderedObject[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const { object, cluster } of objects) {
    if (object.kind !== 'Namespace' || apiGroupOf(object.apiVersion) !== '') continue;
    out[`${cluster ?? NO_CLUSTER}/${object.metadata.name}`] = { ...(object.metadata.annotations ?? {}) };
  }
  return out;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
