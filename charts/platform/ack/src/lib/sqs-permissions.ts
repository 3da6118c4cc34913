import type { ClusterConfig } from '@flotilla/config';
import { eksClusterNameOf, regionalArnPrefix } from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';

/** The cluster's own queues: `<eks cluster name>-*` (Karpenter's interruption queue is `<eks cluster name>-karpenter-interruption`). */
export function defaultSqsQueueNamePatterns(cluster: ClusterConfig): string[] {
  return [`${eksClusterNameOf(cluster)}-*`];
}

/**
 * The SQS controller manages queues and their attributes (policy, encryption, retention) only; it
 * never sends, receives or deletes messages, so no message action is granted.
 */
export function sqsPermissions(cluster: ClusterConfig, queueNamePatterns: readonly string[]): PolicyStatement[] {
  if (queueNamePatterns.length === 0) throw new Error('ack sqsQueueNamePatterns is empty; give at least one queue name pattern, e.g. "<cluster>-*"');
  for (const pattern of queueNamePatterns) {
    if (!/^[\w*?-]{1,80}$/.test(pattern)) {
      throw new Error(`ack sqsQueueNamePatterns entry "${pattern}" is not a queue name pattern (letters, digits, '-', '_', '*', '?'); use e.g. "${eksClusterNameOf(cluster)}-*"`);
    }
  }
  return [
    {
      sid: 'ManageQueues',
      actions: [
        'sqs:CreateQueue',
        'sqs:DeleteQueue',
        'sqs:GetQueueAttributes',
        'sqs:SetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:TagQueue',
        'sqs:UntagQueue',
        'sqs:ListQueueTags',
      ],
      resources: queueNamePatterns.map((pattern) => `${regionalArnPrefix(cluster, 'sqs')}${pattern}`),
    },
  ];
}
