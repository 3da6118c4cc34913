import { field, type ClusterIndex } from './cluster-index';
import type { RenderedObject } from '@flotilla/model';

/**
 * The pods a chart renders that serve Prometheus metrics, derived from a HelmRelease's values the
 * way the chart's templates do (Flux renders the chart in the cluster, so synth never sees these
 * pods). `disabledBy` says why the metrics port serves nothing scrapeable with these values.
 */
export interface MetricsPod {
  /** What renders it, for messages (`HelmRelease karpenter/karpenter`, `flux bootstrap`). */
  readonly source: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly portNames: readonly string[];
  /** The value that turns plain-HTTP metrics off, with the fix. @default - metrics are on */
  readonly disabledBy?: { readonly path: string; readonly message: string; readonly fix: string };
}

type Values = Record<string, unknown>;
const str = (value: unknown, fallback: string): string => (typeof value === 'string' && value ? value : fallback);
const map = (value: unknown): Values => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Values) : {});

/**
 * Per chart (as `spec.chart.spec.chart` or the OCI artifact's last path segment names it), read from
 * the templates at the pinned version:
 * - karpenter 1.14.1 (aws/karpenter-provider-aws `charts/karpenter/templates/deployment.yaml`, `_helpers.tpl`):
 *   selector labels `app.kubernetes.io/name` (nameOverride or chart name), `app.kubernetes.io/instance` (release); port `http-metrics`;
 * - gatekeeper 3.23.0 (open-policy-agent/gatekeeper `charts/gatekeeper/templates/gatekeeper-{controller-manager,audit}-deployment.yaml`):
 *   `control-plane: controller-manager` / `audit-controller`, port `metrics`, served only with the `prometheus` metrics backend;
 * - external-secrets 2.9.0 (external-secrets/external-secrets `deploy/charts/external-secrets/templates/deployment.yaml`):
 *   `app.kubernetes.io/name` (nameOverride or chart name), `app.kubernetes.io/instance`, port `metrics`; plain HTTP unless `metrics.listen.secure` or `.auth` is on.
 */
const CHART_PODS: Record<string, (values: Values, release: string, source: string) => MetricsPod[]> = {
  karpenter: (values, release, source) => [
    { source, labels: { 'app.kubernetes.io/name': str(values.nameOverride, 'karpenter'), 'app.kubernetes.io/instance': release }, portNames: ['http-metrics', 'http'] },
  ],
  gatekeeper: (values, _release, source) => {
    const backends = Array.isArray(values.metricsBackends) ? values.metricsBackends : ['prometheus'];
    const disabledBy = backends.includes('prometheus')
      ? undefined
      : { path: 'spec.values.metricsBackends', message: `metricsBackends is ${JSON.stringify(backends)}, so Gatekeeper serves no Prometheus metrics on its metrics port`, fix: 'add "prometheus" to metricsBackends (the chart default)' };
    const pod = (extra: Values, component: string): MetricsPod => ({
      source,
      labels: { ...(map(values.podLabels) as Record<string, string>), ...(map(map(values[component]).podLabels) as Record<string, string>), app: 'gatekeeper', ...(extra as Record<string, string>) },
      portNames: ['metrics', 'healthz'],
      ...(disabledBy ? { disabledBy } : {}),
    });
    return [
      pod({ 'control-plane': 'controller-manager', 'gatekeeper.sh/operation': 'webhook', 'gatekeeper.sh/system': 'yes' }, 'controllerManager'),
      pod({ 'control-plane': 'audit-controller', 'gatekeeper.sh/operation': 'audit', 'gatekeeper.sh/system': 'yes' }, 'audit'),
    ];
  },
  'external-secrets': (values, release, source) => {
    const listen = map(map(values.metrics).listen);
    const secure = map(listen.secure).enabled === true;
    const auth = map(listen.auth).enabled === true;
    const disabledBy =
      secure || auth
        ? {
            path: `spec.values.metrics.listen.${secure ? 'secure' : 'auth'}.enabled`,
            message: `metrics.listen.${secure ? 'secure' : 'auth'}.enabled is true, so the metrics port needs ${secure ? 'TLS' : 'a bearer token'} the collector does not send`,
            fix: `turn metrics.listen.${secure ? 'secure' : 'auth'}.enabled off (the chart default), or scrape with TLS/authorization`,
          }
        : undefined;
    return [{ source, labels: { 'app.kubernetes.io/name': str(values.nameOverride, 'external-secrets'), 'app.kubernetes.io/instance': release }, portNames: ['metrics', 'live'], ...(disabledBy ? { disabledBy } : {}) }];
  },
};

/** Flux's controllers as `flux bootstrap` installs them (`app: <controller>`, port `http-prom`). */
const FLUX_CONTROLLERS = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller', 'image-reflector-controller', 'image-automation-controller'];

function chartOf(index: ClusterIndex, release: RenderedObject): string | undefined {
  const name = field<unknown>(release.object.spec, 'chart', 'spec', 'chart');
  if (typeof name === 'string') return name;
  const ref = field<{ kind?: unknown; name?: unknown; namespace?: unknown }>(release.object.spec, 'chartRef');
  if (ref?.kind !== 'OCIRepository' || typeof ref.name !== 'string') return undefined;
  const repo = index.get('source.toolkit.fluxcd.io', 'OCIRepository', typeof ref.namespace === 'string' ? ref.namespace : release.object.metadata.namespace, ref.name);
  const url = field<unknown>(repo?.object.spec, 'url');
  return typeof url === 'string' ? url.replace(/\/+$/, '').split('/').pop() : undefined;
}

/** The metrics-serving pods in `namespace`: charts' pods from HelmReleases, and Flux's controllers in flux-system. */
export function metricsPodsIn(index: ClusterIndex, namespace: string): MetricsPod[] {
  const pods: MetricsPod[] = [];
  for (const release of index.ofKind('helm.toolkit.fluxcd.io', 'HelmRelease')) {
    const target = field<unknown>(release.object.spec, 'targetNamespace') ?? release.object.metadata.namespace;
    if (target !== namespace) continue;
    const chart = chartOf(index, release);
    const render = chart ? CHART_PODS[chart] : undefined;
    if (!render) continue;
    const releaseName = str(field(release.object.spec, 'releaseName'), release.object.metadata.name);
    pods.push(...render(map(field(release.object.spec, 'values')), releaseName, `HelmRelease ${release.object.metadata.namespace}/${release.object.metadata.name} (chart ${chart})`));
  }
  const bootstrapped = index.objects.some((o) => o.object.kind === 'Kustomization' && o.object.metadata.namespace === 'flux-system' && o.object.metadata.name === 'flux-system');
  if (namespace === 'flux-system' && bootstrapped) {
    for (const app of FLUX_CONTROLLERS) pods.push({ source: `flux bootstrap (${app})`, labels: { app }, portNames: ['http-prom', 'healthz'] });
  }
  return pods;
}

