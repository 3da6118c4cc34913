import type { ClusterConfig } from './cluster-config';
import { partitionOfRegion } from './partition';

/**
 * Where a cluster's alarms go: one encrypted SNS topic per cluster (ACK `Topic`, declared by the
 * appconfig-sync platform unit). CloudWatch alarms (the AppConfig chain's) and Alertmanager publish
 * to it; {@link alarmTopicArn} is the one place its ARN comes from.
 */
export interface AlarmSettings {
  /** Topic name (SNS: 1-256 letters, digits, '-', '_'). @default `<eks cluster name>-alarms` */
  readonly topicName?: string;
  /**
   * KMS key that encrypts the topic (SNS `KmsMasterKeyId`: key id, key ARN, alias name or alias ARN).
   * Not `alias/aws/sns`: CloudWatch can publish to an encrypted topic only when the key policy lets
   * `cloudwatch.amazonaws.com` call `kms:Decrypt` and `kms:GenerateDataKey*`, which the AWS managed
   * key's policy cannot.
   *
   * @default `alias/<eks cluster name>-alarms` (a customer-managed key of the account baseline)
   */
  readonly kmsKey?: string;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

type AlarmCluster = Pick<ClusterConfig, 'name' | 'eksClusterName' | 'account' | 'region' | 'alarms'>;

/** The cluster's alarm topic name (`alarms.topicName`, default `<eks cluster name>-alarms`). */
export function alarmTopicName(cluster: AlarmCluster): string {
  const name = cluster.alarms?.topicName ?? `${cluster.eksClusterName ?? cluster.name}-alarms`;
  if (!TOPIC_NAME.test(name)) throw new Error(`cluster '${cluster.name}': 'alarms.topicName' ('${name}') must be 1-256 letters, digits, '-' or '_'`);
  return name;
}

/** The cluster's alarm topic ARN, `arn:<partition>:sns:<region>:<account>:<topic>`: what alarms and Alertmanager publish to. */
export function alarmTopicArn(cluster: AlarmCluster): string {
  return `arn:${partitionOfRegion(cluster.region)}:sns:${cluster.region}:${cluster.account}:${alarmTopicName(cluster)}`;
}

/** The key that encrypts the alarm topic (`alarms.kmsKey`, default `alias/<eks cluster name>-alarms`). */
export function alarmTopicKmsKey(cluster: AlarmCluster): string {
  const key = cluster.alarms?.kmsKey ?? `alias/${cluster.eksClusterName ?? cluster.name}-alarms`;
  if (key === 'alias/aws/sns' || key.endsWith(':alias/aws/sns')) {
    throw new Error(`cluster '${cluster.name}': 'alarms.kmsKey' is the AWS managed key alias/aws/sns, whose policy does not let CloudWatch publish; use a customer-managed key that allows cloudwatch.amazonaws.com`);
  }
  return key;
}
