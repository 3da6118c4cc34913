import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Duration } from '@flotilla/config';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { metrics, type MetricsProps } from './metrics';
import { PLATFORM_SCRAPE_JOBS } from './scrape-jobs';

const cluster = fixtureCluster('dev', []);
const TOPIC = 'arn:aws:sns:eu-north-1:123456789012:dev-platform-alerts';
const props: MetricsProps = { alertTopicArn: TOPIC };
const render = (p: MetricsProps = props, c = cluster) => renderUnits(metrics(p), c);

describe('metrics workspace', () => {
  it('declares one retained workspace tagged with the cluster and its alias, rules and Alertmanager on it', () => {
    // GIVEN the default props WHEN rendered
    const objects = render().get('metrics.workspace')!;
    // THEN the workspace is retained and tagged; rules and Alertmanager refer to it by name
    const workspace = findObject(objects, 'Workspace', 'platform');
    expect(workspace.metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect(workspace.spec).toEqual({ alias: 'dev-platform', tags: { 'flotilla.dev/cluster': 'dev', 'flotilla.dev/amp-workspace': 'dev-platform' } });
    expect(findObject(objects, 'RuleGroupsNamespace').spec).toMatchObject({ name: 'platform-alerts', workspaceRef: { from: { name: 'platform' } } });
    const am = parse(parse((findObject(objects, 'AlertManagerDefinition').spec as { configuration: string }).configuration).alertmanager_config);
    expect(am.receivers[0].sns_configs[0]).toMatchObject({ topic_arn: TOPIC, sigv4: { region: 'eu-north-1' } });
    expect(findObject(objects, 'FieldExport').spec).toMatchObject({ from: { path: '.status.workspaceID' }, to: { kind: 'configmap', name: 'amp-workspace', key: 'workspaceID' } });
  });

  it('waits for the Flux interval before a reconciliation failure alerts', () => {
    const c = fixtureCluster('dev', [], { flux: { interval: Duration.minutes(30) } });
    const groups = parse((findObject(render(props, c).get('metrics.workspace'), 'RuleGroupsNamespace').spec as { configuration: string }).configuration).groups;
    const flux = groups.find((g: { name: string }) => g.name === 'flux').rules[0];
    expect(flux).toMatchObject({ alert: 'FluxReconciliationFailing', for: '30m' });
    expect(flux.expr).toContain('controller_runtime_reconcile_errors_total{job=~"flux-.*"}[30m]');
    expect(groups.map((g: { name: string }) => g.name)).toEqual(['karpenter', 'flux', 'gatekeeper', 'external-secrets']);
  });

  it('fails if the topic is not an SNS ARN or is in another region', () => {
    expect(() => render({ ...props, alertTopicArn: 'dev-platform-alerts' })).toThrow(/alertTopicArn 'dev-platform-alerts' is not an SNS topic ARN/);
    expect(() => render({ ...props, alertTopicArn: 'arn:aws:sns:us-east-1:123456789012:x' })).toThrow(/is in us-east-1, but AMP in eu-north-1 notifies only topics of its own region/);
  });
});

describe('metrics collector', () => {
  it('may only remote-write to the cluster’s tagged workspace', () => {
    const role = findObject(render().get('metrics.identity'), 'Role', 'metrics-collector');
    expect(JSON.parse(Object.values((role.spec as { inlinePolicies: Record<string, string> }).inlinePolicies)[0]!).Statement).toEqual([
      {
        Sid: 'RemoteWriteToClusterWorkspace',
        Effect: 'Allow',
        Action: 'aps:RemoteWrite',
        Resource: 'arn:aws:aps:eu-north-1:123456789012:workspace/*',
        Condition: { StringEquals: { 'aws:ResourceTag/flotilla.dev/cluster': 'dev', 'aws:ResourceTag/flotilla.dev/amp-workspace': 'dev-platform' } },
      },
    ]);
  });

  it('scrapes every platform job by pod labels and port name and writes to the exported workspace with SigV4', () => {
    const objects = render().get('metrics.collector')!;
    const config = parse((findObject(objects, 'ConfigMap', 'collector-config').data as Record<string, string>)['collector.yaml']);
    expect(config.receivers.prometheus.config.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(PLATFORM_SCRAPE_JOBS.map((j) => j.name));
    expect(config.exporters.prometheusremotewrite).toEqual({
      endpoint: 'https://aps-workspaces.eu-north-1.amazonaws.com/workspaces/${env:AMP_WORKSPACE_ID}/api/v1/remote_write',
      auth: { authenticator: 'sigv4auth' },
      external_labels: { cluster: 'dev' },
    });
    const pod = (findObject(objects, 'Deployment', 'collector').spec as { template: { spec: { securityContext: unknown; containers: { env: unknown[]; securityContext: unknown }[] } } }).template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0]!.env).toEqual([{ name: 'AMP_WORKSPACE_ID', valueFrom: { configMapKeyRef: { name: 'amp-workspace', key: 'workspaceID' } } }]);
    // Flux's own allow-scraping policy admits the collector in flux-system; the other namespaces get one each.
    expect(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('allow-scrape-') && o.metadata.namespace !== 'metrics').map((o) => o.metadata.namespace)).toEqual([
      'karpenter',
      'gatekeeper-system',
      'gatekeeper-system',
      'external-secrets',
    ]);
  });

  it('fails if a job selects no labels, repeats a name or names an invalid port', () => {
    const job = PLATFORM_SCRAPE_JOBS[0]!;
    expect(() => render({ ...props, scrapeJobs: [{ ...job, podLabels: {} }] })).toThrow(/selects no labels, so it would scrape every pod of 'karpenter'/);
    expect(() => render({ ...props, scrapeJobs: [job, job] })).toThrow(/names job 'karpenter' twice/);
    expect(() => render({ ...props, scrapeJobs: [{ ...job, portName: 'http_metrics_port_too_long' }] })).toThrow(/portName 'http_metrics_port_too_long' is not a container port name/);
    expect(() => render({ ...props, scrapeInterval: Duration.seconds(5) })).toThrow(/scrapeInterval is 5s; use 10 s to 5 minutes/);
  });
});
