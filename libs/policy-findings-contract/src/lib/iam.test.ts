import { describe, expect, it } from 'vitest';
import { findingsPolicyStatements } from './iam';

describe('findingsPolicyStatements', () => {
  it('grants import on the default product, read on the hub, DescribeCluster on its clusters and its own logs', () => {
    expect(findingsPolicyStatements({ account: '222222222222', region: 'eu-north-1', functionName: 'prod-policy-findings', eksClusterNames: ['prod'] })).toEqual([
      { sid: 'ImportFindings', actions: ['securityhub:BatchImportFindings'], resources: ['arn:aws:securityhub:eu-north-1:222222222222:product/222222222222/default'] },
      { sid: 'ReadOwnFindings', actions: ['securityhub:GetFindings'], resources: ['arn:aws:securityhub:eu-north-1:222222222222:hub/default'] },
      { sid: 'DescribeClusters', actions: ['eks:DescribeCluster'], resources: ['arn:aws:eks:eu-north-1:222222222222:cluster/prod'] },
      {
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: ['arn:aws:logs:eu-north-1:222222222222:log-group:/aws/lambda/prod-policy-findings:*'],
      },
    ]);
  });
});
