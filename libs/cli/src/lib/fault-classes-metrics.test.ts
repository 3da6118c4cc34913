import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Finding } from '@flotilla/model';
import { editDev, errorsOf } from '../testing';

// Issue 20 (parts 4 and 5): the committed dev render with one realistic mistake in the metrics
// pipeline, through every check synth and `flotilla validate` share.

const CONFIG = 'metrics.collector/ConfigMap_metrics_collector-config.yaml';
const RULES = 'metrics.workspace/RuleGroupsNamespace.prometheusservice.services.k8s.aws_metrics_platform-alerts.yaml';
const COLLECTOR = 'metrics.collector/Deployment_metrics_collector.yaml';
const GATEKEEPER = 'infra-controllers/gatekeeper/HelmRelease.helm.toolkit.fluxcd.io_gatekeeper-system_gatekeeper.yaml';

function expectOnly(findings: Finding[], expected: Partial<Finding> & { code: string }): void {
  expect(findings).toEqual([expect.objectContaining({ cluster: 'dev', ...expected })]);
  expect(findings[0]!.fix).toBeTruthy();
}

/** Edits one scrape job of the committed collector config. */
const editJob = (name: string, edit: (job: any) => void) =>
  editDev(CONFIG, (o) => {
    const config = parse(o.data['collector.yaml']);
    edit(config.receivers.prometheus.config.scrape_configs.find((j: { job_name: string }) => j.job_name === name));
    o.data['collector.yaml'] = stringify(config);
  });

describe('metrics faults checked by synth and flotilla validate', () => {
  it('the committed dev render passes', () => {
    expect(errorsOf(editDev(CONFIG, () => undefined))).toEqual([]);
  });

  it('a scrape job whose labels match no Karpenter pod is an error', () => {
    const objects = editJob('karpenter', (job) => (job.kubernetes_sd_configs[0].selectors[0].label = 'app.kubernetes.io/name=karpenter-controller'));
    expectOnly(errorsOf(objects), { code: 'scrape/no-target', object: 'ConfigMap metrics/collector-config', message: expect.stringContaining('no pod in namespace karpenter of cluster dev carries the labels app.kubernetes.io/name=karpenter-controller') });
  });

  it('a scrape job keeping a port the External Secrets pods do not have is an error', () => {
    const objects = editJob('external-secrets', (job) => (job.relabel_configs[0].regex = 'http-metrics'));
    expectOnly(errorsOf(objects), { code: 'scrape/no-port', message: expect.stringContaining('have no container port named http-metrics (ports: metrics, live)') });
  });

  it('Gatekeeper without the prometheus metrics backend fails both Gatekeeper jobs', () => {
    const objects = editDev(GATEKEEPER, (o) => (o.spec.values.metricsBackends = ['opentelemetry']));
    const findings = errorsOf(objects);
    expect(findings.map((f) => [f.code, f.message.split(':')[0]])).toEqual([
      ['scrape/metrics-disabled', 'scrape job gatekeeper-controller-manager'],
      ['scrape/metrics-disabled', 'scrape job gatekeeper-audit'],
    ]);
  });

  it('an alert rule reading a misspelt metric is an error with the documented name', () => {
    const objects = editDev(RULES, (o) => (o.spec.configuration = o.spec.configuration.replace('externalsecret_sync_calls_error', 'externalsecret_sync_call_errors')));
    expectOnly(errorsOf(objects), { code: 'rules/unknown-metric', object: 'RuleGroupsNamespace metrics/platform-alerts', fix: 'did you mean externalsecret_sync_calls_error?' });
  });

  it('the collector pod goes through the scheduling check: a request no NodePool can fit is an error', () => {
    const objects = editDev(COLLECTOR, (o) => {
      const resources = o.spec.template.spec.containers[0].resources;
      resources.requests.memory = '4000Gi';
      resources.limits.memory = '4000Gi';
    });
    expect(errorsOf(objects).map((f) => [f.object, f.code.split('/')[0]])).toEqual([['Deployment metrics/collector', 'scheduling']]);
  });

  it('the collector pod goes through the Gatekeeper constraints: a privileged container is denied', () => {
    const objects = editDev(COLLECTOR, (o) => (o.spec.template.spec.containers[0].securityContext.privileged = true));
    const findings = errorsOf(objects);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.object === 'Deployment metrics/collector')).toBe(true);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/privileged/);
  });
});
