import { Construct } from 'constructs';
import { alarmTopicArn, alarmTopicKmsKey, alarmTopicName, type ClusterConfig } from '@flotilla/config';
import { IDENTITY_NAMESPACE, RemovalPolicy, ackDeletionPolicy, eksClusterNameOf } from '@flotilla/constructs';
import * as ackCloudwatch from '@flotilla/k8s-apis/ack-cloudwatch';
import * as ackSns from '@flotilla/k8s-apis/ack-sns';
import * as ackSqs from '@flotilla/k8s-apis/ack-sqs';
import { syncDlqArn, syncDlqName } from './binding-spec';

/** SQS's longest retention: failed events stay for inspection and redrive. */
const DLQ_RETENTION_SECONDS = 1_209_600;

export interface ChainAlarmsProps {
  readonly cluster: ClusterConfig;
  /** The platform Lambda's name (its `FunctionName` dimension). */
  readonly functionName: string;
  /**
   * The binding rules (`RuleName` dimension of FailedInvocations; their ARNs may send to the DLQ), with
   * the binding's object name (`<namespace>-<name>`) that names the alarm.
   */
  readonly rules: readonly { readonly name: string; readonly arn: string; readonly binding: string }[];
  /** Render the dead-letter queue (else `deadLetterTargetArn` names one that exists). @default true */
  readonly declareDeadLetterQueue?: boolean;
  /** @default IDENTITY_NAMESPACE ('ack-system') */
  readonly namespace?: string;
  /** What deleting the queue and topic objects does in AWS. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

type Dimensions = Readonly<Record<string, string>>;

/** One alarm on a single metric: the sum over 5 minutes reaches 1 (every signal here should be zero). */
function countAlarm(scope: Construct, id: string, cluster: ClusterConfig, namespace: string, alarm: { suffix: string; description: string; metricNamespace: string; metric: string; statistic: 'Sum' | 'Maximum'; dimensions: Dimensions }) {
  const topic = alarmTopicArn(cluster);
  return new ackCloudwatch.MetricAlarm(scope, id, {
    metadata: { name: `appconfig-sync-${alarm.suffix}`, namespace },
    spec: {
      name: `${eksClusterNameOf(cluster)}-appconfig-sync-${alarm.suffix}`,
      alarmDescription: `${alarm.description} (AppConfig chain of cluster ${cluster.name}, managed by Flotilla)`,
      namespace: alarm.metricNamespace,
      metricName: alarm.metric,
      dimensions: Object.entries(alarm.dimensions).map(([name, value]) => ({ name, value })),
      statistic: alarm.statistic,
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No datapoint means nothing failed (these metrics are only emitted on activity).
      treatMissingData: 'notBreaching',
      actionsEnabled: true,
      alarmActions: [topic],
      oKActions: [topic],
      tags: [{ key: 'flotilla.dev/cluster', value: cluster.name }],
    },
  });
}

/**
 * Alarms on the AppConfig chain, declared through ACK, all publishing to the cluster's encrypted
 * alarm topic (`alarmTopicArn(cluster)`, the topic Alertmanager uses too):
 * - the SNS `Topic` `<eks>-alarms` (KMS `alarms.kmsKey`; only CloudWatch of this account may publish);
 * - the dead-letter queue `<eks>-appconfig-sync-dlq` (SSE-SQS, 14 days, retained): the Lambda's
 *   asynchronous failures (`deadLetterConfig`) and the rules' undeliverable events (target
 *   `deadLetterConfig`; the queue policy admits only those rules);
 * - alarms: Lambda `Errors` and `Throttles`, the DLQ's `ApproximateNumberOfMessagesVisible`, and
 *   each rule's `FailedInvocations`.
 * ESO sync failures are not a CloudWatch metric: they alert from the metrics pipeline
 * (`externalsecret_sync_calls_error`, Alertmanager → the same topic).
 */
export class ChainAlarms extends Construct {
  readonly topicArn: string;
  readonly deadLetterQueueArn: string;

  constructor(scope: Construct, id: string, props: ChainAlarmsProps) {
    super(scope, id);
    const { cluster } = props;
    const namespace = props.namespace ?? IDENTITY_NAMESPACE;
    const retain = ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.topicArn = alarmTopicArn(cluster);
    this.deadLetterQueueArn = syncDlqArn(cluster);
    const tags = [{ key: 'flotilla.dev/cluster', value: cluster.name }];

    new ackSns.Topic(this, 'Topic', {
      metadata: { name: 'alarms', namespace, annotations: retain },
      spec: {
        name: alarmTopicName(cluster),
        displayName: `Alarms of cluster ${cluster.name}`,
        kmsMasterKeyId: alarmTopicKmsKey(cluster),
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'CloudWatchAlarmsOfThisAccount',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: this.topicArn,
              Condition: { StringEquals: { 'aws:SourceAccount': cluster.account } },
            },
            {
              // The cluster's AMP Alertmanager (charts/platform/metrics) routes its alerts here too.
              Sid: 'PrometheusAlertmanagerOfThisAccount',
              Effect: 'Allow',
              Principal: { Service: 'aps.amazonaws.com' },
              Action: ['sns:Publish', 'sns:GetTopicAttributes'],
              Resource: this.topicArn,
              Condition: { StringEquals: { 'aws:SourceAccount': cluster.account } },
            },
            { Sid: 'DenyHTTP', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: this.topicArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          ],
        }),
        tags,
      },
    });

    if (props.declareDeadLetterQueue !== false) {
      const queueArn = this.deadLetterQueueArn;
      new ackSqs.Queue(this, 'DeadLetterQueue', {
        metadata: { name: 'appconfig-sync-dlq', namespace, annotations: retain },
        spec: {
          queueName: syncDlqName(cluster),
          // The CRD types queue attributes as strings (SQS's attribute map).
          messageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
          sqsManagedSseEnabled: 'true',
          // The Lambda writes with its execution role (sqs:SendMessage on this queue); EventBridge needs the queue policy.
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              ...(props.rules.length > 0
                ? [
                    {
                      Sid: 'BindingRulesUndeliveredEvents',
                      Effect: 'Allow',
                      Principal: { Service: 'events.amazonaws.com' },
                      Action: 'sqs:SendMessage',
                      Resource: queueArn,
                      Condition: { ArnEquals: { 'aws:SourceArn': props.rules.map((rule) => rule.arn) } },
                    },
                  ]
                : []),
              { Sid: 'DenyHTTP', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queueArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
            ],
          }),
          tags: { 'flotilla.dev/cluster': cluster.name },
        },
      });
    }

    const fn = { FunctionName: props.functionName };
    countAlarm(this, 'LambdaErrors', cluster, namespace, { suffix: 'errors', description: 'appconfig-sync Lambda invocations failed', metricNamespace: 'AWS/Lambda', metric: 'Errors', statistic: 'Sum', dimensions: fn });
    countAlarm(this, 'LambdaThrottles', cluster, namespace, { suffix: 'throttles', description: 'appconfig-sync Lambda invocations were throttled', metricNamespace: 'AWS/Lambda', metric: 'Throttles', statistic: 'Sum', dimensions: fn });
    countAlarm(this, 'DeadLetters', cluster, namespace, {
      suffix: 'dlq-depth',
      description: 'events the chain gave up on wait in the dead-letter queue',
      metricNamespace: 'AWS/SQS',
      metric: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Maximum',
      dimensions: { QueueName: syncDlqName(cluster) },
    });
    for (const rule of props.rules) {
      countAlarm(this, `FailedInvocations-${rule.binding}`, cluster, namespace, {
        suffix: `failed-${rule.binding}`,
        description: `EventBridge rule ${rule.name} could not invoke the Lambda`,
        metricNamespace: 'AWS/Events',
        metric: 'FailedInvocations',
        statistic: 'Sum',
        dimensions: { RuleName: rule.name },
      });
    }
  }
}
