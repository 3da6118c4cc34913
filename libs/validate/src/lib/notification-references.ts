import { findingFor, joinFieldPath, type Finding, type RenderedObject } from '@flotilla/model';
import { field, listOf, type ClusterIndex } from './cluster-index';
import { selectorMatches } from './selectors';
import { closest } from './suggest';

const NOTIFICATION = 'notification.toolkit.fluxcd.io';

/** API group of each kind an Alert's event source may name (notification-controller v1beta3). */
const SOURCE_GROUPS: Readonly<Record<string, string>> = {
  Bucket: 'source.toolkit.fluxcd.io',
  GitRepository: 'source.toolkit.fluxcd.io',
  HelmChart: 'source.toolkit.fluxcd.io',
  HelmRepository: 'source.toolkit.fluxcd.io',
  OCIRepository: 'source.toolkit.fluxcd.io',
  ExternalArtifact: 'source.toolkit.fluxcd.io',
  Kustomization: 'kustomize.toolkit.fluxcd.io',
  HelmRelease: 'helm.toolkit.fluxcd.io',
};
/** Kinds Flux creates at run time (HelmCharts from HelmReleases) or that other repositories may add: not judged. */
const UNJUDGED = new Set(['HelmChart']);

interface EventSource {
  kind?: unknown;
  name?: unknown;
  namespace?: unknown;
  matchLabels?: unknown;
}

function error(alert: RenderedObject, code: string, path: (string | number)[], message: string, fix: string): Finding {
  return findingFor(alert, { severity: 'error', code, path: joinFieldPath(path), message, fix });
}

/** `spec.providerRef.name` names a Provider in the Alert's namespace. */
function providerProblem(index: ClusterIndex, alert: RenderedObject): Finding[] {
  const name = field<unknown>(alert.object.spec, 'providerRef', 'name');
  const namespace = alert.object.metadata.namespace ?? 'default';
  if (typeof name !== 'string' || index.has(NOTIFICATION, 'Provider', namespace, name)) return [];
  const providers = index.ofKind(NOTIFICATION, 'Provider').filter((p) => (p.object.metadata.namespace ?? 'default') === namespace).map((p) => p.object.metadata.name);
  const suggestion = closest(name, providers);
  return [
    error(
      alert,
      'ref/missing-provider',
      ['spec', 'providerRef', 'name'],
      `Provider ${namespace}/${name} does not exist in cluster ${index.cluster ?? '(none)'}; the Alert's events go nowhere (an Alert can only use a Provider in its own namespace)`,
      suggestion ? `did you mean "${suggestion}"? (Providers in ${namespace}: ${providers.join(', ')})` : providers.length > 0 ? `use one of the Providers in ${namespace}: ${providers.join(', ')}` : `add a Provider named ${name} in ${namespace}`,
    ),
  ];
}

/** Each event source names an existing object, or `*` where objects of that kind (matching its labels) exist. */
function eventSourceProblems(index: ClusterIndex, alert: RenderedObject): Finding[] {
  const findings: Finding[] = [];
  const cluster = index.cluster ?? '(none)';
  listOf<EventSource>(field(alert.object.spec, 'eventSources')).forEach((source, i) => {
    if (typeof source?.kind !== 'string' || typeof source.name !== 'string') return;
    const group = SOURCE_GROUPS[source.kind];
    if (!group || UNJUDGED.has(source.kind)) return;
    const namespace = typeof source.namespace === 'string' ? source.namespace : (alert.object.metadata.namespace ?? 'default');
    const inNamespace = index.ofKind(group, source.kind).filter((o) => (o.object.metadata.namespace ?? 'default') === namespace);
    const labels = source.matchLabels && typeof source.matchLabels === 'object' ? (source.matchLabels as Record<string, string>) : undefined;
    if (source.name === '*') {
      const matching = labels ? inNamespace.filter((o) => selectorMatches({ matchLabels: labels }, o.object.metadata.labels ?? {})) : inNamespace;
      if (matching.length > 0) return;
      const namespaces = [...new Set(index.ofKind(group, source.kind).map((o) => o.object.metadata.namespace ?? 'default'))].sort();
      findings.push(
        error(
          alert,
          'ref/empty-event-source',
          ['spec', 'eventSources', i],
          `event source ${source.kind}/* in namespace ${namespace}${labels ? ' with these matchLabels' : ''} matches no object in cluster ${cluster}, so the Alert never fires for it`,
          namespaces.length > 0 ? `set namespace to one that has ${source.kind}s (${namespaces.join(', ')}) or remove the event source` : `remove the event source: cluster ${cluster} has no ${source.kind}`,
        ),
      );
      return;
    }
    if (inNamespace.some((o) => o.object.metadata.name === source.name)) return;
    const suggestion = closest(source.name, inNamespace.map((o) => o.object.metadata.name));
    findings.push(
      error(
        alert,
        'ref/missing-event-source',
        ['spec', 'eventSources', i, 'name'],
        `${source.kind} ${namespace}/${source.name} does not exist in cluster ${cluster}, so the Alert never reports it`,
        suggestion ? `did you mean "${suggestion}"?` : `name an existing ${source.kind} in ${namespace}, or use name: '*'`,
      ),
    );
  });
  return findings;
}

/** Whether an event source matches a Flux object (kind, name or `*`, namespace, matchLabels). */
function sourceMatches(source: EventSource, alertNamespace: string, object: RenderedObject): boolean {
  const namespace = typeof source.namespace === 'string' ? source.namespace : alertNamespace;
  if (source.kind !== object.object.kind || namespace !== (object.object.metadata.namespace ?? 'default')) return false;
  if (source.name !== '*' && source.name !== object.object.metadata.name) return false;
  const labels = source.matchLabels && typeof source.matchLabels === 'object' ? (source.matchLabels as Record<string, string>) : undefined;
  return !labels || selectorMatches({ matchLabels: labels }, object.object.metadata.labels ?? {});
}

/**
 * In a cluster that has Alerts, every Kustomization and HelmRelease should be covered by one, or a
 * failed reconciliation of that object reaches nobody (and its commit shows no status from this cluster).
 */
function coverageWarnings(index: ClusterIndex, alerts: readonly RenderedObject[]): Finding[] {
  if (alerts.length === 0) return [];
  const sources = alerts.flatMap((alert) => listOf<EventSource>(field(alert.object.spec, 'eventSources')).map((source) => ({ source, namespace: alert.object.metadata.namespace ?? 'default' })));
  return [...index.ofKind('kustomize.toolkit.fluxcd.io', 'Kustomization'), ...index.ofKind('helm.toolkit.fluxcd.io', 'HelmRelease')]
    .filter((object) => !sources.some(({ source, namespace }) => sourceMatches(source, namespace, object)))
    .map((object) =>
      findingFor(object, {
        severity: 'warning',
        code: 'ref/unalerted-flux-object',
        message: `no Flux Alert in cluster ${index.cluster ?? '(none)'} covers this ${object.object.kind}, so its reconciliation results reach no provider`,
        fix: `add an event source { kind: ${object.object.kind}, name: '*', namespace: ${object.object.metadata.namespace ?? 'default'} } to an Alert (fluxNotifications helmReleaseNamespaces)`,
      }),
    );
}

/** Flux notification Alerts: their Provider and every event source exist, and they cover every Kustomization and HelmRelease. */
export function checkNotificationReferences(index: ClusterIndex): Finding[] {
  const alerts = index.ofKind(NOTIFICATION, 'Alert');
  const findings: Finding[] = [];
  for (const alert of alerts) findings.push(...providerProblem(index, alert), ...eventSourceProblems(index, alert));
  findings.push(...coverageWarnings(index, alerts));
  return findings;
}
