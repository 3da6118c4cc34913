import { describe, expect, it } from 'vitest';
import { Duration } from '@flotilla/config';
import { RemovalPolicy } from '@flotilla/constructs';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { SchemaValidator } from '@flotilla/validate';
import { karpenterController } from './controller-unit';
import { INTERRUPTION_RULES, interruptionQueueOf, karpenterInterruptionUnit } from './interruption';

const cluster = fixtureCluster('dev', []);
const render = (props = {}) => renderUnit(karpenterInterruptionUnit(props), cluster);
const QUEUE_ARN = 'arn:aws:sqs:eu-north-1:123456789012:dev-karpenter-interruption';

describe('karpenter.interruption', () => {
  it('is on by default: the controller units include the queue unit, the chart names the queue and the role may read it', () => {
    const units = karpenterController();
    expect(units.map((u) => [u.name, u.layer])).toContainEqual(['karpenter.interruption', 'infra-configs']);
    const release = findObject(renderUnit(units.find((u) => u.name === 'karpenter')!, cluster), 'HelmRelease', 'karpenter');
    expect((release.spec as any).values.settings.interruptionQueue).toBe('dev-karpenter-interruption');
    const role = findObject(renderUnit(units.find((u) => u.name === 'karpenter.identity')!, cluster), 'Role', 'karpenter');
    const statements = JSON.parse((role.spec as any).inlinePolicies.karpenter).Statement as any[];
    const sqs = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('sqs:')));
    expect(sqs).toEqual([{ Sid: 'AllowInterruptionQueueActions', Effect: 'Allow', Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], Resource: QUEUE_ARN }]);
  });

  it('renders a retained queue with SQS-managed SSE, 300 s retention and a policy admitting only EventBridge for its rules', () => {
    const queue = findObject(render(), 'Queue', 'interruption');
    expect(queue.metadata).toMatchObject({ namespace: 'karpenter', annotations: { 'services.k8s.aws/deletion-policy': 'retain' } });
    const spec = queue.spec as any;
    expect(spec).toMatchObject({ queueName: 'dev-karpenter-interruption', messageRetentionPeriod: '300', sqsManagedSSEEnabled: 'true' });
    expect(spec.kmsMasterKeyID).toBeUndefined();
    const policy = JSON.parse(spec.policy);
    const allow = policy.Statement.find((s: any) => s.Effect === 'Allow');
    expect(allow).toEqual({
      Sid: 'AllowEventBridgeRules',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: QUEUE_ARN,
      Condition: { ArnEquals: { 'aws:SourceArn': INTERRUPTION_RULES.map((r) => `arn:aws:events:eu-north-1:123456789012:rule/dev-karpenter-interruption-${r.id}`) } },
    });
    expect(policy.Statement.find((s: any) => s.Effect === 'Deny')).toMatchObject({ Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('renders one rule per Karpenter CloudFormation event, each targeting the queue with its pattern', () => {
    const rules = render().filter((o) => o.kind === 'Rule');
    expect(rules.map((r) => JSON.parse((r.spec as any).eventPattern)['detail-type'][0])).toEqual([
      'AWS Health Event',
      'EC2 Spot Instance Interruption Warning',
      'EC2 Instance Rebalance Recommendation',
      'EC2 Instance State-change Notification',
      'EC2 Capacity Reservation Instance Interruption Warning',
    ]);
    for (const rule of rules) {
      expect((rule.spec as any).targets).toEqual([{ id: 'KarpenterInterruptionQueueTarget', arn: QUEUE_ARN }]);
      expect((rule.spec as any).state).toBe('ENABLED');
    }
    expect(JSON.parse((findObject(render(), 'Rule', 'interruption-scheduled-change').spec as any).eventPattern)).toEqual({ source: ['aws.health'], 'detail-type': ['AWS Health Event'] });
  });

  it('uses SSE-KMS, a custom name, retention and removal policy when given', () => {
    const queue = findObject(render({ queueName: 'ops-q', kmsMasterKeyId: 'alias/karpenter', messageRetention: Duration.minutes(10), removalPolicy: RemovalPolicy.DESTROY }), 'Queue', 'interruption');
    expect(queue.spec).toMatchObject({ queueName: 'ops-q', kmsMasterKeyID: 'alias/karpenter', messageRetentionPeriod: '600' });
    expect((queue.spec as any).sqsManagedSSEEnabled).toBeUndefined();
    expect(queue.metadata?.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'delete' });
  });

  it('rejects a name SQS refuses and a retention outside 60 s to 14 days, naming the prop', () => {
    expect(() => interruptionQueueOf(cluster, { queueName: 'bad name' })).toThrow(/karpenter interruption queueName "bad name" is not an SQS queue name/);
    expect(() => render({ messageRetention: Duration.seconds(30) })).toThrow(/messageRetention is 30s; SQS accepts 60 s to 14 days/);
  });

  it('renders objects that validate against the pinned ACK CRDs with zero errors', () => {
    const rendered = render().map((object, index) => ({ file: `karpenter.interruption/${index}`, index, object }));
    expect(rendered.length).toBe(1 + INTERRUPTION_RULES.length);
    expect(SchemaValidator.load().validate(rendered).filter((f) => f.severity === 'error')).toEqual([]);
  });
});
