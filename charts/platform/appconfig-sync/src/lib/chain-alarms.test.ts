import { describe, expect, it } from 'vitest';
import { alarmTopicArn, alarmTopicKmsKey } from '@flotilla/config';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import type { AppConfigBindingSpec } from './binding-spec';
import { APPCONFIG_SYNC_UNIT, appconfigSync } from './platform-unit';

const spec: AppConfigBindingSpec = {
  name: 'shop',
  team: { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' },
  application: 'shop',
  environment: 'dev',
  profile: 'settings',
  schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  ids: { applicationId: 'ba8toh7', environmentId: 'pgil2o7', configurationProfileId: 'ga3tqep' },
};
const cluster = fixtureCluster('dev', [], { artifacts: { bucket: 'flotilla-artifacts' } });
const objects = renderUnit(appconfigSync({ bindings: [spec] }).find((u) => u.name === APPCONFIG_SYNC_UNIT)!, cluster);
const specOf = (o: KubeObject): any => (o as { spec?: unknown }).spec;
const DLQ = 'arn:aws:sqs:eu-north-1:123456789012:dev-appconfig-sync-dlq';
const TOPIC = 'arn:aws:sns:eu-north-1:123456789012:dev-alarms';

describe('alarms on the AppConfig chain', () => {
  it('declares the dead-letter queue (SSE, 14 days, retained) that the Lambda and the rule both use, admitting only the binding rules', () => {
    const queue = findObject(objects, 'Queue', 'appconfig-sync-dlq');
    expect(queue.metadata?.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect(specOf(queue)).toMatchObject({ queueName: 'dev-appconfig-sync-dlq', sqsManagedSSEEnabled: 'true', messageRetentionPeriod: '1209600' });
    expect(JSON.parse(specOf(queue).policy).Statement[0]).toEqual({
      Sid: 'BindingRulesUndeliveredEvents',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: DLQ,
      Condition: { ArnEquals: { 'aws:SourceArn': ['arn:aws:events:eu-north-1:123456789012:rule/dev-appconfig-team-a-shop'] } },
    });
    expect(specOf(findObject(objects, 'Function', 'appconfig-sync')).deadLetterConfig).toEqual({ targetARN: DLQ });
    expect(specOf(findObject(objects, 'Rule', 'team-a-shop')).targets[0].deadLetterConfig).toEqual({ arn: DLQ });
    expect(JSON.parse(specOf(findObject(objects, 'Role', 'appconfig-sync')).inlinePolicies['dead-letter']).Statement).toEqual([{ Sid: 'SendFailedEvents', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: DLQ }]);
  });

  it("publishes to the cluster's encrypted alarm topic, which only this account's CloudWatch and AMP Alertmanager may publish to", () => {
    expect(alarmTopicArn(cluster)).toBe(TOPIC);
    const topic = specOf(findObject(objects, 'Topic', 'alarms'));
    expect(topic).toMatchObject({ name: 'dev-alarms', kmsMasterKeyID: 'alias/dev-alarms' });
    expect(JSON.parse(topic.policy).Statement[0]).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } });
    // The AMP Alertmanager of the same account (charts/platform/metrics) publishes alerts to it too.
    expect(JSON.parse(topic.policy).Statement[1]).toEqual({
      Sid: 'PrometheusAlertmanagerOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'aps.amazonaws.com' },
      Action: ['sns:Publish', 'sns:GetTopicAttributes'],
      Resource: TOPIC,
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
    expect(findObject(objects, 'Topic', 'alarms').metadata?.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
  });

  it.each([
    ['appconfig-sync-errors', 'AWS/Lambda', 'Errors', { FunctionName: 'dev-appconfig-sync' }],
    ['appconfig-sync-throttles', 'AWS/Lambda', 'Throttles', { FunctionName: 'dev-appconfig-sync' }],
    ['appconfig-sync-dlq-depth', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: 'dev-appconfig-sync-dlq' }],
    ['appconfig-sync-failed-team-a-shop', 'AWS/Events', 'FailedInvocations', { RuleName: 'dev-appconfig-team-a-shop' }],
  ])('alarms (%s) on %s %s at the first occurrence', (name, namespace, metric, dimensions) => {
    const alarm = specOf(findObject(objects, 'MetricAlarm', name));
    expect(alarm).toMatchObject({ name: `dev-${name}`, namespace, metricName: metric, threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', alarmActions: [TOPIC], treatMissingData: 'notBreaching' });
    expect(alarm.dimensions).toEqual(Object.entries(dimensions).map(([n, value]) => ({ name: n, value })));
  });

  it('uses a given dead-letter target instead of declaring a queue, and takes the topic from typed cluster config', () => {
    const given = renderUnit(appconfigSync({ bindings: [spec], deadLetterTargetArn: 'arn:aws:sns:eu-north-1:123456789012:baseline-dlq' }).find((u) => u.name === APPCONFIG_SYNC_UNIT)!, cluster);
    expect(given.filter((o) => o.kind === 'Queue')).toEqual([]);
    // EventBridge dead-letter queues are SQS only: an SNS target is the Lambda's alone
    expect(specOf(findObject(given, 'Rule', 'team-a-shop')).targets[0]).not.toHaveProperty('deadLetterConfig');
    const custom = { ...cluster, alarms: { topicName: 'ops-alarms', kmsKey: 'arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' } };
    expect(alarmTopicArn(custom)).toBe('arn:aws:sns:eu-north-1:123456789012:ops-alarms');
    expect(() => alarmTopicKmsKey({ ...cluster, alarms: { kmsKey: 'alias/aws/sns' } })).toThrow(/AWS managed key alias\/aws\/sns, whose policy does not let CloudWatch publish/);
  });
});
