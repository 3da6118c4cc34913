import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { metricNamesOf, promqlProblem } from './alert-rule-exprs';
import { checkReferences } from './references';

function at(file: string, object: Record<string, unknown>, cluster = 'prod'): RenderedObject {
  return { file, index: 0, object: object as unknown as KubeObject, cluster };
}
const codes = (findings: ReturnType<typeof checkReferences>, prefix: string) => findings.filter((f) => f.code.startsWith(prefix));

const job = (name: string, namespace: string, label: string, port: string) => ({
  job_name: name,
  kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [namespace] }, selectors: [{ role: 'pod', label }] }],
  relabel_configs: [{ source_labels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: port }],
});
const collector = (...jobs: unknown[]) =>
  at('clusters/prod/infra-configs/metrics.collector/ConfigMap_metrics_collector-config.yaml', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'collector-config', namespace: 'metrics', annotations: { 'flotilla.dev/scrape-config': 'collector.yaml' } },
    data: { 'collector.yaml': stringify({ receivers: { prometheus: { config: { scrape_configs: jobs } } } }) },
  });
const release = (namespace: string, chart: string, values: Record<string, unknown> = {}) =>
  at(`clusters/prod/infra-controllers/${chart}/HelmRelease_${namespace}_${chart}.yaml`, {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: chart, namespace },
    spec: { chart: { spec: { chart, version: '1.0.0' } }, values },
  });
const KARPENTER = job('karpenter', 'karpenter', 'app.kubernetes.io/instance=karpenter,app.kubernetes.io/name=karpenter', 'http-metrics');
const ESO = job('external-secrets', 'external-secrets', 'app.kubernetes.io/instance=external-secrets,app.kubernetes.io/name=external-secrets', 'metrics');
const AUDIT = job('gatekeeper-audit', 'gatekeeper-system', 'control-plane=audit-controller', 'metrics');
const FLUX = job('flux-kustomize-controller', 'flux-system', 'app=kustomize-controller', 'http-prom');
const fluxBootstrap = at('clusters/prod/flux-system/gotk-sync.yaml', { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: {} });

describe('scrape target check', () => {
  it('passes jobs whose pods and metrics ports the charts, Flux bootstrap and rendered workloads provide', () => {
    const deployment = at('clusters/prod/apps/web/Deployment_web_web.yaml', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'web' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ports: [{ name: 'metrics', containerPort: 9090 }] }] } } },
    });
    const objects = [collector(KARPENTER, ESO, AUDIT, FLUX, job('web', 'web', 'app=web', 'metrics')), release('karpenter', 'karpenter'), release('external-secrets', 'external-secrets'), release('gatekeeper-system', 'gatekeeper'), fluxBootstrap, deployment];
    expect(codes(checkReferences(objects), 'scrape/')).toEqual([]);
  });

  it('fails a job whose labels no pod carries, listing the pods that are there', () => {
    const findings = codes(checkReferences([collector(job('karpenter', 'karpenter', 'app.kubernetes.io/name=karpenter-controller', 'http-metrics')), release('karpenter', 'karpenter')]), 'scrape/');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'scrape/no-target', severity: 'error', path: 'data.collector.yaml receivers.prometheus.config.scrape_configs[0]', object: 'ConfigMap metrics/collector-config' });
    expect(findings[0]!.message).toContain('no pod in namespace karpenter of cluster prod carries the labels app.kubernetes.io/name=karpenter-controller; pods there: HelmRelease karpenter/karpenter (chart karpenter) {app.kubernetes.io/name=karpenter,app.kubernetes.io/instance=karpenter}');
  });

  it('fails a job in a namespace where nothing runs (the controller is not installed)', () => {
    const findings = codes(checkReferences([collector(ESO)]), 'scrape/');
    expect(findings.map((f) => f.code)).toEqual(['scrape/no-target']);
    expect(findings[0]!.message).toContain('(nothing there serves metrics)');
  });

  it('fails a job that keeps a port name the pods do not have', () => {
    const findings = codes(checkReferences([collector(job('karpenter', 'karpenter', 'app.kubernetes.io/name=karpenter', 'metrics')), release('karpenter', 'karpenter')]), 'scrape/');
    expect(findings.map((f) => [f.code, f.message])).toEqual([['scrape/no-port', 'scrape job karpenter: the pods it selects (HelmRelease karpenter/karpenter (chart karpenter)) have no container port named metrics (ports: http-metrics, http)']]);
  });

  it('fails when the chart values turn plain-HTTP metrics off (Gatekeeper without the prometheus backend, ESO with metrics auth)', () => {
    const findings = codes(checkReferences([collector(AUDIT, ESO), release('gatekeeper-system', 'gatekeeper', { metricsBackends: ['opentelemetry'] }), release('external-secrets', 'external-secrets', { metrics: { listen: { auth: { enabled: true } } } })]), 'scrape/');
    expect(findings.map((f) => [f.code, f.fix])).toEqual([
      ['scrape/metrics-disabled', 'add "prometheus" to metricsBackends (the chart default)'],
      ['scrape/metrics-disabled', 'turn metrics.listen.auth.enabled off (the chart default), or scrape with TLS/authorization'],
    ]);
  });

  it('fails Flux jobs on a cluster without the Flux bootstrap Kustomization', () => {
    expect(codes(checkReferences([collector(FLUX)]), 'scrape/').map((f) => f.code)).toEqual(['scrape/no-target']);
  });
});

const rules = (expr: string, forValue: unknown = '10m') =>
  at('clusters/prod/infra-configs/metrics.workspace/RuleGroupsNamespace_metrics_platform-alerts.yaml', {
    apiVersion: 'prometheusservice.services.k8s.aws/v1alpha1',
    kind: 'RuleGroupsNamespace',
    metadata: { name: 'platform-alerts', namespace: 'metrics' },
    spec: { name: 'platform-alerts', configuration: stringify({ groups: [{ name: 'karpenter', rules: [{ alert: 'A', expr, for: forValue }] }] }) },
  });

describe('alert rule check', () => {
  it('parses PromQL with Prometheus\' grammar and reads the metric names of vector selectors', () => {
    expect(promqlProblem('sum by (cluster) (increase(karpenter_interruption_received_messages_total[15m])) > 0')).toBeUndefined();
    expect(promqlProblem('rate(x[5m]')).toMatchObject({ offset: 10 });
    expect(metricNamesOf('histogram_quantile(0.99, sum by (le) (rate(karpenter_interruption_message_queue_duration_seconds_bucket[5m]))) > time() - up')).toEqual([
      'karpenter_interruption_message_queue_duration_seconds_bucket',
      'up',
    ]);
  });

  it('passes rules over documented metrics (histogram series included)', () => {
    expect(codes(checkReferences([rules('gatekeeper_violations{enforcement_action="deny"} > 0'), rules('rate(gatekeeper_audit_duration_seconds_count[5m]) > 0')]), 'rules/')).toEqual([]);
  });

  it('fails an expression that does not parse, with its offset', () => {
    const findings = codes(checkReferences([rules('sum(increase(externalsecret_sync_calls_error[15m]) > 0')]), 'rules/');
    expect(findings.map((f) => f.code)).toEqual(['rules/invalid-promql']);
    expect(findings[0]!.message).toMatch(/^karpenter\/A: expr is not valid PromQL at offset \d+/);
  });

  it('fails a metric no exporter publishes, suggesting the closest documented name', () => {
    const findings = codes(checkReferences([rules('increase(karpenter_interruption_recieved_messages_total[15m]) > 0')]), 'rules/');
    expect(findings.map((f) => [f.code, f.fix])).toEqual([['rules/unknown-metric', 'did you mean karpenter_interruption_received_messages_total?']]);
  });

  it('fails a for: that is not a duration', () => {
    expect(codes(checkReferences([rules('up == 0', 'ten minutes')]), 'rules/').map((f) => f.code)).toEqual(['rules/invalid-for']);
  });
});
