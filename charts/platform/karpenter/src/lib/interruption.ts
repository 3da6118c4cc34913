import type { Construct } from 'constructs';
import { Duration, ackHealthCheck, type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import { RemovalPolicy, ackDeletionPolicy, eksClusterNameOf, regionalArnPrefix } from '@flotilla/constructs';
import * as ackEvents from '@flotilla/k8s-apis/ack-eventbridge';
import * as ackSqs from '@flotilla/k8s-apis/ack-sqs';

/** Namespace of the queue and rules (the controller's own). */
const NAMESPACE = 'karpenter';
/** The target id Karpenter's CloudFormation gives every rule's queue target. */
export const INTERRUPTION_TARGET_ID = 'KarpenterInterruptionQueueTarget';

/**
 * The EventBridge rules of Karpenter's getting-started CloudFormation (karpenter-provider-aws v1.14.1,
 * `cloudformation.yaml`): each matches one `source` and one `detail-type` and targets the queue.
 */
export const INTERRUPTION_RULES = [
  { id: 'scheduled-change', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'instance-state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  { id: 'capacity-reservation-interruption', source: 'aws.ec2', detailType: 'EC2 Capacity Reservation Instance Interruption Warning' },
] as const;

export interface KarpenterInterruptionProps {
  /** SQS queue name; Karpenter's `settings.interruptionQueue`. @default - `<eks cluster name>-karpenter-interruption` */
  readonly queueName?: string;
  /**
   * KMS key (id, ARN or alias) for SSE-KMS; the key policy must let `events.amazonaws.com` use it
   * (kms:GenerateDataKey, kms:Decrypt).
   *
   * @default - SQS-managed server-side encryption (SqsManagedSseEnabled)
   */
  readonly kmsMasterKeyId?: string;
  /** How long an unread event stays in the queue. @default Duration.minutes(5) (Karpenter's CloudFormation: 300 s) */
  readonly messageRetention?: Duration;
  /** What deleting the Queue object does to the queue in AWS. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The queue's name and ARN for a cluster; the controller unit and the queue unit both read it. */
export function interruptionQueueOf(cluster: ClusterConfig, props: KarpenterInterruptionProps): { readonly name: string; readonly arn: string } {
  const name = props.queueName ?? `${eksClusterNameOf(cluster)}-karpenter-interruption`;
  if (!/^[\w-]{1,80}$/.test(name)) {
    throw new Error(`karpenter interruption queueName "${name}" is not an SQS queue name (1-80 letters, digits, '-' and '_'); use e.g. "${eksClusterNameOf(cluster)}-karpenter-interruption"`);
  }
  return { name, arn: `${regionalArnPrefix(cluster, 'sqs')}${name}` };
}

/** EventBridge rule name of one interruption rule: `<queue name>-<rule id>`, at most 64 characters. */
export function interruptionRuleName(queueName: string, ruleId: string): string {
  return `${queueName}-${ruleId}`.slice(0, 64);
}

/**
 * The queue's resource policy: only EventBridge may send, and only for this cluster's interruption
 * rules (aws:SourceArn); any call without TLS is denied (Karpenter's CloudFormation `DenyHTTP`).
 */
export function interruptionQueuePolicy(queueArn: string, ruleArns: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'EC2InterruptionPolicy',
    Statement: [
      {
        Sid: 'AllowEventBridgeRules',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': [...ruleArns] } },
      },
      { Sid: 'DenyHTTP', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queueArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  });
}

/** Renders the encrypted queue (retained by default) and one EventBridge rule per interruption event. */
export function renderKarpenterInterruption(scope: Construct, cluster: ClusterConfig, props: KarpenterInterruptionProps): void {
  const queue = interruptionQueueOf(cluster, props);
  const retentionSeconds = (props.messageRetention ?? Duration.minutes(5)).toSeconds();
  if (!Number.isInteger(retentionSeconds) || retentionSeconds < 60 || retentionSeconds > 1_209_600) {
    throw new Error(`karpenter interruption messageRetention is ${retentionSeconds}s; SQS accepts 60 s to 14 days in whole seconds (Karpenter uses 5 minutes)`);
  }
  const eventsPrefix = regionalArnPrefix(cluster, 'events');
  const rules = INTERRUPTION_RULES.map((rule) => ({ ...rule, name: interruptionRuleName(queue.name, rule.id) }));
  const tags = { 'flotilla.dev/cluster': cluster.name };
  new ackSqs.Queue(scope, 'Queue', {
    metadata: { name: 'interruption', namespace: NAMESPACE, annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN) },
    spec: {
      queueName: queue.name,
      // The CRD types queue attributes as strings (SQS's attribute map).
      messageRetentionPeriod: String(retentionSeconds),
      ...(props.kmsMasterKeyId ? { kmsMasterKeyId: props.kmsMasterKeyId } : { sqsManagedSseEnabled: 'true' }),
      policy: interruptionQueuePolicy(queue.arn, rules.map((rule) => `${eventsPrefix}rule/${rule.name}`)),
      tags,
    },
  });
  for (const rule of rules) {
    new ackEvents.Rule(scope, `Rule-${rule.id}`, {
      metadata: { name: `interruption-${rule.id}`, namespace: NAMESPACE },
      spec: {
        name: rule.name,
        description: `${rule.detailType} -> Karpenter interruption queue ${queue.name}, managed by Flotilla`,
        eventPattern: JSON.stringify({ source: [rule.source], 'detail-type': [rule.detailType] }),
        state: 'ENABLED',
        targets: [{ id: INTERRUPTION_TARGET_ID, arn: queue.arn }],
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      },
    });
  }
}

/**
 * `karpenter.interruption` (infra-configs, after the ACK SQS and EventBridge controllers): the queue
 * Karpenter reads (`settings.interruptionQueue`) and the rules that feed it. Flux waits until ACK
 * has created the queue and the rules in AWS.
 */
export function karpenterInterruptionUnit(props: KarpenterInterruptionProps): Unit {
  return {
    name: 'karpenter.interruption',
    createdAt: unitCallSite(),
    project: 'karpenter',
    layer: 'infra-configs',
    flux: {
      healthCheckExprs: [ackHealthCheck('sqs.services.k8s.aws/v1alpha1', 'Queue'), ackHealthCheck('eventbridge.services.k8s.aws/v1alpha1', 'Rule')],
    },
    render(scope, { cluster }) {
      renderKarpenterInterruption(scope, cluster, props);
    },
  };
}
