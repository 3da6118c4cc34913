import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { ack } from './ack';
import { cloudwatchPermissions, snsPermissions } from './alarm-permissions';

const cluster = fixtureCluster('dev', []);
const policyOf = (service: string, props = {}) =>
  JSON.parse((findObject(renderUnits(ack(props), cluster).get('ack.identity')!, 'Role', `ack-${service}-controller`).spec as { inlinePolicies: Record<string, string> }).inlinePolicies[`ack-${service}-controller`]!).Statement;

describe('ack cloudwatch and sns controller permissions', () => {
  it("manage the cluster's own alarms and topics only; DescribeAlarms is a list call", () => {
    expect(policyOf('cloudwatch')).toEqual([
      { Sid: 'ManageAlarms', Effect: 'Allow', Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'], Resource: 'arn:aws:cloudwatch:eu-north-1:123456789012:alarm:dev-*' },
      { Sid: 'ReadAlarms', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*' },
    ]);
    expect(policyOf('sns')[0].Resource).toBe('arn:aws:sns:eu-north-1:123456789012:dev-*');
    expect(policyOf('sns')[0].Action).not.toContain('sns:Publish');
  });

  it('fails if a pattern is empty or matches everything', () => {
    expect(() => cloudwatchPermissions(cluster, [])).toThrow(/alarmNamePatterns is empty/);
    expect(() => snsPermissions(cluster, ['*'])).toThrow(/topicNamePatterns entry "\*" is not a name pattern of the cluster's resources/);
  });
});
