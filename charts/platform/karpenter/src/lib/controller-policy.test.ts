import { describe, expect, it } from 'vitest';
import { validateStatement } from '@flotilla/model';
import { karpenterControllerPolicy } from './controller-policy';

const props = { account: '111111111111', region: 'eu-north-1', clusterName: 'dev', nodeRoleArn: 'arn:aws:iam::111111111111:role/dev-karpenter-node' };
const bySid = (statements: ReturnType<typeof karpenterControllerPolicy>, sid: string) => statements.find((s) => s.sid === sid);

describe('karpenterControllerPolicy', () => {
  it('creates instances only with the cluster ownership tag and a nodepool tag', () => {
    const statements = karpenterControllerPolicy(props);
    expect(bySid(statements, 'AllowScopedEC2InstanceActionsWithTags')).toEqual({
      sid: 'AllowScopedEC2InstanceActionsWithTags',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      resources: ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map((r) => `arn:aws:ec2:eu-north-1:*:${r}`),
      conditions: {
        StringEquals: { 'aws:RequestTag/kubernetes.io/cluster/dev': 'owned', 'aws:RequestTag/eks:eks-cluster-name': 'dev' },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    });
  });

  it('terminates only instances and launch templates carrying the cluster and nodepool tags', () => {
    expect(bySid(karpenterControllerPolicy(props), 'AllowScopedDeletion')).toEqual({
      sid: 'AllowScopedDeletion',
      actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      resources: ['arn:aws:ec2:eu-north-1:*:instance/*', 'arn:aws:ec2:eu-north-1:*:launch-template/*'],
      conditions: { StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/dev': 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    });
  });

  it('passes only the node role, and only to EC2', () => {
    const passRole = karpenterControllerPolicy(props).filter((s) => s.actions.includes('iam:PassRole'));
    expect(passRole).toEqual([
      {
        sid: 'AllowPassingInstanceRole',
        actions: ['iam:PassRole'],
        resources: ['arn:aws:iam::111111111111:role/dev-karpenter-node'],
        conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } },
      },
    ]);
  });

  it('reads AMI parameters from the public SSM namespace and prices', () => {
    const statements = karpenterControllerPolicy(props);
    expect(bySid(statements, 'AllowSSMReadActions')).toEqual({ sid: 'AllowSSMReadActions', actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:eu-north-1::parameter/aws/service/*'] });
    expect(bySid(statements, 'AllowPricingReadActions')?.actions).toEqual(['pricing:GetProducts']);
    expect(bySid(statements, 'AllowAPIServerEndpointDiscovery')?.resources).toEqual(['arn:aws:eks:eu-north-1:111111111111:cluster/dev']);
  });

  it('adds the interruption queue permissions only when a queue is configured', () => {
    expect(bySid(karpenterControllerPolicy(props), 'AllowInterruptionQueueActions')).toBeUndefined();
    const queueArn = 'arn:aws:sqs:eu-north-1:111111111111:dev-karpenter';
    expect(bySid(karpenterControllerPolicy({ ...props, interruptionQueueArn: queueArn }), 'AllowInterruptionQueueActions')).toEqual({
      sid: 'AllowInterruptionQueueActions',
      actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      resources: [queueArn],
    });
  });

  it('never allows a whole service and every statement passes the construct library checks', () => {
    for (const statement of karpenterControllerPolicy({ ...props, interruptionQueueArn: 'arn:aws:sqs:eu-north-1:111111111111:q' })) {
      expect(() => validateStatement(statement, 'karpenter')).not.toThrow();
    }
  });
});
