import { apiGroupOf, type KubeObject } from '@flotilla/model';

/**
 * Gatekeeper's constraint `spec.match` (pkg/mutation/match/match.go), applied before any CEL runs.
 * All listed criteria must hold; a review matches when its object or its old object matches.
 */
export interface ConstraintMatch {
  kinds?: { apiGroups?: string[]; kinds?: string[] }[];
  scope?: string;
  namespaces?: string[];
  excludedNamespaces?: string[];
  labelSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  name?: string;
  source?: string;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Finds the Namespace object of a namespaced object (from the rendered objects or the inventory). */
export type NamespaceLookup = (namespace: string) => KubeObject | undefined;

export type MatchResult = { matches: boolean; error?: undefined } | { matches: false; error: string };

/** Gatekeeper wildcards: `prefix-*`, `*-suffix` or an exact name. */
export function wildcardMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

/** True when the `kinds` criterion accepts the group and kind (empty list or `*` = all). */
export function kindsMatch(kinds: ConstraintMatch['kinds'], group: string, kind: string): boolean {
  if (!kinds || kinds.length === 0) return true;
  return kinds.some((entry) => {
    const groups = entry.apiGroups ?? [];
    const names = entry.kinds ?? [];
    const groupOk = groups.length === 0 || groups.includes('*') || groups.includes(group);
    const kindOk = names.length === 0 || names.includes('*') || names.includes(kind);
    return groupOk && kindOk;
  });
}

/** Standard Kubernetes LabelSelector semantics; an empty selector matches everything. */
export function labelSelectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const actual = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (actual[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(actual, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(actual[expression.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(actual[expression.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`labelSelector operator must be In, NotIn, Exists or DoesNotExist, got ${JSON.stringify(expression.operator)}`);
    }
  }
  return true;
}

function isNamespace(object: KubeObject): boolean {
  return object.kind === 'Namespace' && apiGroupOf(object.apiVersion) === '';
}

function namespaceOf(object: KubeObject): string | undefined {
  if (isNamespace(object)) return object.metadata.name;
  return object.metadata?.namespace || undefined;
}

function matchesOne(match: ConstraintMatch, object: KubeObject, lookup: NamespaceLookup): MatchResult {
  // rendered objects are all "Original"; only expansion (not supported) produces "Generated" ones
  if (match.source === 'Generated') return { matches: false };
  if (!kindsMatch(match.kinds, apiGroupOf(object.apiVersion), object.kind)) return { matches: false };
  const namespaced = !isNamespace(object) && !!object.metadata?.namespace;
  if (match.scope === 'Cluster' && namespaced) return { matches: false };
  if (match.scope === 'Namespaced' && !namespaced) return { matches: false };
  const namespace = namespaceOf(object);
  // cluster-scoped objects are never disqualified by namespaces / excludedNamespaces
  if (namespace !== undefined) {
    if (match.namespaces && match.namespaces.length > 0 && !match.namespaces.some((p) => wildcardMatches(p, namespace))) return { matches: false };
    if (match.excludedNamespaces?.some((p) => wildcardMatches(p, namespace))) return { matches: false };
  }
  if (match.labelSelector && !labelSelectorMatches(match.labelSelector, object.metadata?.labels)) return { matches: false };
  if (match.namespaceSelector) {
    if (isNamespace(object)) {
      if (!labelSelectorMatches(match.namespaceSelector, object.metadata.labels)) return { matches: false };
    } else if (namespaced) {
      const ns = lookup(object.metadata.namespace!);
      if (!ns) {
        return { matches: false, error: `namespace selector for namespace-scoped object but missing Namespace ${JSON.stringify(object.metadata.namespace)}: render or list the Namespace object so that its labels are known` };
      }
      if (!labelSelectorMatches(match.namespaceSelector, ns.metadata.labels)) return { matches: false };
    }
  }
  if (match.name) {
    const name = object.metadata?.name ?? '';
    const generateName = (object.metadata?.generateName as string | undefined) ?? '';
    if (!wildcardMatches(match.name, name) && !(generateName && wildcardMatches(match.name, generateName))) return { matches: false };
  }
  return { matches: true };
}

/** Whether a constraint's `spec.match` selects the review (object or old object). */
export function constraintMatches(match: ConstraintMatch | undefined, object: KubeObject | null, oldObject: KubeObject | null, lookup: NamespaceLookup): MatchResult {
  if (!match) return { matches: true };
  let error: string | undefined;
  for (const candidate of [object, oldObject]) {
    if (!candidate) continue;
    const result = matchesOne(match, candidate, lookup);
    if (result.matches) return result;
    error ??= result.error;
  }
  return error ? { matches: false, error } : { matches: false };
}
