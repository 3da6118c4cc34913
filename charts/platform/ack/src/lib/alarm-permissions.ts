import type { ClusterConfig } from '@flotilla/config';
import { eksClusterNameOf, regionalArnPrefix } from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';

/** The cluster's own alarms and topics: `<eks cluster name>-*`. */
export function defaultAlarmNamePatterns(cluster: ClusterConfig): string[] {
  return [`${eksClusterNameOf(cluster)}-*`];
}

function checkPatterns(what: string, patterns: readonly string[], cluster: ClusterConfig): void {
  if (patterns.length === 0) throw new Error(`ack ${what} is empty; give at least one name pattern, e.g. "${eksClusterNameOf(cluster)}-*"`);
  for (const pattern of patterns) {
    if (!/^[\w*?.-]{1,255}$/.test(pattern) || pattern.replace(/\*/g, '') === '') {
      throw new Error(`ack ${what} entry "${pattern}" is not a name pattern of the cluster's resources (letters, digits, '-', '_', '.', '*', '?', not only '*'); use e.g. "${eksClusterNameOf(cluster)}-*"`);
    }
  }
}

/**
 * The CloudWatch controller manages MetricAlarms only (PutMetricAlarm, DescribeAlarms, DeleteAlarms
 * in its metric_alarm resource manager at v1.8.1; tags go with PutMetricAlarm). DescribeAlarms is a
 * list call and is granted on every alarm; writes only on the cluster's alarm names.
 */
export function cloudwatchPermissions(cluster: ClusterConfig, alarmNamePatterns: readonly string[]): PolicyStatement[] {
  checkPatterns('alarmNamePatterns', alarmNamePatterns, cluster);
  return [
    {
      sid: 'ManageAlarms',
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
      resources: alarmNamePatterns.map((pattern) => `${regionalArnPrefix(cluster, 'cloudwatch')}alarm:${pattern}`),
    },
    { sid: 'ReadAlarms', actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] },
  ];
}

/**
 * The SNS controller manages Topics (CreateTopic, GetTopicAttributes, SetTopicAttributes,
 * DeleteTopic and tags in its topic resource manager at v1.6.0); never publishes or subscribes.
 */
export function snsPermissions(cluster: ClusterConfig, topicNamePatterns: readonly string[]): PolicyStatement[] {
  checkPatterns('topicNamePatterns', topicNamePatterns, cluster);
  return [
    {
      sid: 'ManageTopics',
      actions: ['sns:CreateTopic', 'sns:DeleteTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource'],
      resources: topicNamePatterns.map((pattern) => `${regionalArnPrefix(cluster, 'sns')}${pattern}`),
    },
  ];
}
