import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { ack } from './ack';
import { sqsPermissions } from './sqs-permissions';

const cluster = fixtureCluster('dev', []);
const sqsPolicy = (props = {}) => {
  const role = findObject(renderUnits(ack(props), cluster).get('ack.identity')!, 'Role', 'ack-sqs-controller');
  return JSON.parse(Object.values((role.spec as { inlinePolicies: Record<string, string> }).inlinePolicies)[0]!).Statement;
};

describe('ack sqs controller permissions', () => {
  it('manages only the cluster’s queues (<cluster>-*) and never touches messages', () => {
    expect(sqsPolicy()).toEqual([
      {
        Sid: 'ManageQueues',
        Effect: 'Allow',
        Action: ['sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:TagQueue', 'sqs:UntagQueue', 'sqs:ListQueueTags'],
        Resource: 'arn:aws:sqs:eu-north-1:123456789012:dev-*',
      },
    ]);
  });

  it('takes other queue name patterns, and rejects an empty list or a pattern that is not a queue name', () => {
    expect(sqsPolicy({ sqsQueueNamePatterns: ['ops-*', 'dev-karpenter'] })[0].Resource).toEqual(['arn:aws:sqs:eu-north-1:123456789012:ops-*', 'arn:aws:sqs:eu-north-1:123456789012:dev-karpenter']);
    expect(() => sqsPermissions(cluster, [])).toThrow(/sqsQueueNamePatterns is empty/);
    expect(() => sqsPermissions(cluster, ['arn:aws:sqs:*'])).toThrow(/sqsQueueNamePatterns entry "arn:aws:sqs:\*" is not a queue name pattern/);
  });
});
