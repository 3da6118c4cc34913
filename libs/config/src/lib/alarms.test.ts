import { describe, expect, it } from 'vitest';
import { alarmTopicArn, alarmTopicKmsKey, alarmTopicName } from './alarms';

const cluster = { name: 'prod', account: '222222222222', region: 'eu-north-1' };

describe('the alarm topic (one home for its name and ARN)', () => {
  it('defaults to <eks cluster name>-alarms in the cluster account and region, encrypted with alias/<eks>-alarms', () => {
    expect(alarmTopicName(cluster)).toBe('prod-alarms');
    expect(alarmTopicArn(cluster)).toBe('arn:aws:sns:eu-north-1:222222222222:prod-alarms');
    expect(alarmTopicArn({ ...cluster, eksClusterName: 'eu-prod', region: 'cn-north-1' })).toBe('arn:aws-cn:sns:cn-north-1:222222222222:eu-prod-alarms');
    expect(alarmTopicKmsKey(cluster)).toBe('alias/prod-alarms');
  });

  it('takes a typed topic name and key, and fails on an invalid name or the AWS managed SNS key', () => {
    expect(alarmTopicArn({ ...cluster, alarms: { topicName: 'ops-alarms' } })).toBe('arn:aws:sns:eu-north-1:222222222222:ops-alarms');
    expect(() => alarmTopicName({ ...cluster, alarms: { topicName: 'ops alarms' } })).toThrow(/'alarms.topicName' \('ops alarms'\) must be 1-256 letters/);
    expect(() => alarmTopicKmsKey({ ...cluster, alarms: { kmsKey: 'alias/aws/sns' } })).toThrow(/does not let CloudWatch publish/);
  });
});
