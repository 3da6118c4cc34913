import { apiGroupOf, findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { field, listOf, type ClusterIndex } from './cluster-index';

/** A label selector (`matchLabels` + `matchExpressions`) or a plain map (Service `spec.selector`). */
interface Selector {
  matchLabels?: Record<string, unknown>;
  matchExpressions?: { key?: string; operator?: string; values?: unknown[] }[];
}

/** Whether a label selector selects these labels, with the API server's semantics. */
export function selectorMatches(selector: Selector, labels: Readonly<Record<string, unknown>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of listOf<NonNullable<Selector['matchExpressions']>[number]>(selector.matchExpressions)) {
    const key = expression?.key ?? '';
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = listOf<unknown>(expression?.values);
    switch (expression?.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const isEmpty = (selector: Selector) => Object.keys(selector.matchLabels ?? {}).length === 0 && listOf(selector.matchExpressions).length === 0;

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  'apps/Deployment': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

const labelsOf = (value: unknown): Record<string, unknown> => {
  const labels = field<Record<string, unknown>>(value, 'metadata', 'labels');
  return labels && typeof labels === 'object' ? labels : {};
};

/**
 * Pod labels (pod templates of workloads and bare Pods) by namespace and by each `key=value` label,
 * so a selector only looks at the pods carrying its first matchLabels pair (linear, not pods × selectors).
 */
function podLabels(index: ClusterIndex): Map<string, Record<string, unknown>[]> {
  const byNamespace = new Map<string, Record<string, unknown>[]>();
  const push = (key: string, labels: Record<string, unknown>) => {
    const list = byNamespace.get(key);
    if (list) list.push(labels);
    else byNamespace.set(key, [labels]);
  };
  const add = (namespace: string, labels: Record<string, unknown>) => {
    push(namespace, labels);
    for (const [key, value] of Object.entries(labels)) push(`${namespace}\u0000${key}=${String(value)}`, labels);
  };
  for (const { object } of index.objects) {
    const namespace = object.metadata.namespace ?? 'default';
    if (object.kind === 'Pod' && apiGroupOf(object.apiVersion) === '') add(namespace, labelsOf(object));
    const path = TEMPLATE_PATHS[`${apiGroupOf(object.apiVersion)}/${object.kind}`];
    if (path) add(namespace, labelsOf(field(object, ...path)));
  }
  return byNamespace;
}

/** Namespaces a HelmRelease installs into: its pods are not rendered, so selectors there cannot be judged. */
function helmNamespaces(index: ClusterIndex): Set<string> {
  return new Set(
    index.ofKind('helm.toolkit.fluxcd.io', 'HelmRelease').map((hr) => field<string>(hr.object.spec, 'targetNamespace') ?? hr.object.metadata.namespace ?? 'default'),
  );
}

function describeSelector(selector: Selector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${String(value)}`);
  for (const expression of listOf<NonNullable<Selector['matchExpressions']>[number]>(selector.matchExpressions)) {
    parts.push(`${expression?.key} ${expression?.operator}${expression?.values ? ` (${expression.values.join(', ')})` : ''}`);
  }
  return parts.join(', ') || '(empty)';
}

/**
 * Workload selectors select their own pod template (the API server rejects a Deployment,
 * StatefulSet, DaemonSet, ReplicaSet or Job whose `spec.selector` does not match
 * `spec.template.metadata.labels`); Service selectors and PodDisruptionBudget selectors select
 * some pod of their namespace (else the Service has no endpoints, the budget protects nothing).
 */
export function checkSelectors(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  for (const rendered of index.objects) {
    const { object } = rendered;
    const key = `${apiGroupOf(object.apiVersion)}/${object.kind}`;
    if (key === 'batch/CronJob' || !TEMPLATE_PATHS[key]) continue;
    const selector = field<Selector>(object.spec, 'selector');
    if (!selector || typeof selector !== 'object') continue;
    const labels = labelsOf(field(object, ...TEMPLATE_PATHS[key]!));
    if (isEmpty(selector) && key !== 'batch/Job') {
      findings.push(templateMismatch(rendered, selector, labels, 'an empty selector selects every pod of the namespace; the API server rejects it'));
    } else if (!selectorMatches(selector, labels)) {
      findings.push(templateMismatch(rendered, selector, labels, 'the API server rejects a workload whose selector does not match its pod template labels'));
    }
  }
  let pods: Map<string, Record<string, unknown>[]> | undefined;
  let helm: Set<string> | undefined;
  const selectsSomething = (namespace: string, selector: Selector) => {
    pods ??= podLabels(index);
    helm ??= helmNamespaces(index);
    const first = Object.entries(selector.matchLabels ?? {})[0];
    const candidates = first ? pods.get(`${namespace}\u0000${first[0]}=${String(first[1])}`) : pods.get(namespace);
    return helm.has(namespace) || (candidates ?? []).some((labels) => selectorMatches(selector, labels));
  };
  for (const rendered of index.ofKind('', 'Service')) {
    const selector = field<Record<string, unknown>>(rendered.object.spec, 'selector');
    if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) continue;
    const namespace = rendered.object.metadata.namespace ?? 'default';
    if (selectsSomething(namespace, { matchLabels: selector })) continue;
    findings.push(
      findingFor(rendered, {
        severity: 'error',
        code: 'ref/service-selects-nothing',
        path: 'spec.selector',
        message: `selector ${describeSelector({ matchLabels: selector })} matches no pod template in namespace ${namespace}, so the Service has no endpoints`,
        fix: 'make spec.selector equal to labels of the pod template it should route to (e.g. the Deployment spec.template.metadata.labels)',
      }),
    );
  }
  for (const rendered of index.ofKind('policy', 'PodDisruptionBudget')) {
    const selector = field<Selector>(rendered.object.spec, 'selector');
    if (!selector || typeof selector !== 'object' || isEmpty(selector)) continue;
    const namespace = rendered.object.metadata.namespace ?? 'default';
    if (selectsSomething(namespace, selector)) continue;
    findings.push(
      findingFor(rendered, {
        severity: 'error',
        code: 'ref/pdb-selects-nothing',
        path: 'spec.selector',
        message: `selector ${describeSelector(selector)} matches no pod template in namespace ${namespace}, so the budget protects nothing`,
        fix: 'make spec.selector match the labels of the workload it protects',
      }),
    );
  }
  return findings;
}

function templateMismatch(rendered: RenderedObject, selector: Selector, labels: Record<string, unknown>, why: string): Finding {
  const path = rendered.object.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.metadata.labels' : 'spec.template.metadata.labels';
  return findingFor(rendered, {
    severity: 'error',
    code: 'ref/selector-template-mismatch',
    path: 'spec.selector',
    message: `selector ${describeSelector(selector)} does not select the pod template (labels: ${describeSelector({ matchLabels: labels })}); ${why}`,
    fix: `add the selector's labels to ${path}, or change spec.selector (note: a Deployment's selector is immutable, so changing it means recreating the object)`,
  });
}
