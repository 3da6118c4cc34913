import { describe, expect, it } from 'vitest';
import { findingsPolicyStatements } from './iam';

describe('findingsPolicyStatements', () => {
  it('grants import on the default product, read on the hub, DescribeCluster on its clusters and its own logs', () => {
    expect(findingsPolicyStatements({ account: '222222222222', region: 'eu-north-1', functionName: 'prod-policy-findings', eksClusterNames: ['prod'] })).toEqual([
      { Sid: 'ImportFindings', Effect: 'Allow', Action: ['securityhub:BatchImportFindings'], Resource: ['arn:aws:securityhub:eu-north-1:222222222222:product/222222222222/default'] },
      { Sid: 'ReadOwnFindings', Effect: 'Allow', Action: ['securityhub:GetFindings'], Resource: ['arn:aws:securityhub:eu-north-1:222222222222:hub/default'] },
      { Sid: 'DescribeClusters', Effect: 'Allow', Action: ['eks:DescribeCluster'], Resource: ['arn:aws:eks:eu-north-1:222222222222:cluster/prod'] },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: ['arn:aws:logs:eu-north-1:222222222222:log-group:/aws/lambda/prod-policy-findings:*'],
      },
    ]);
  });
});
