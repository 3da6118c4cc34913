import { describe, expect, it } from 'vitest';
import { ClusterFacts, ClusterFactsError } from './cluster-facts';
import { defineCluster } from './define-cluster';
import { defineFleet } from './fleet';

const facts = {
  name: 'edge',
  account: '123456789012',
  region: 'eu-west-1',
  environment: 'staging',
  kubernetesVersion: '1.36',
  oidcIssuerId: '0123456789ABCDEF0123456789ABCDEF',
  git: { url: 'ssh://git@example.com/fleet' },
} as const;

describe('defineCluster', () => {
  it('builds the cluster config from the facts and what the function derives from them', () => {
    const cluster = defineCluster(facts, (c) => ({
      bootstrap: { ackIamControllerRoleArn: c.roleArn(`${c.name}-ack-iam-controller`) },
      artifacts: { bucket: c.bucketName('artifacts') },
      units: [],
    }));
    expect(cluster).toEqual({
      name: 'edge',
      account: '123456789012',
      region: 'eu-west-1',
      environment: 'staging',
      kubernetesVersion: '1.36',
      identity: { oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' },
      discoveryTag: { key: 'karpenter.sh/discovery', value: 'edge' },
      git: { url: 'ssh://git@example.com/fleet' },
      bootstrap: { ackIamControllerRoleArn: 'arn:aws:iam::123456789012:role/edge-ack-iam-controller' },
      artifacts: { bucket: 'artifacts-123456789012-eu-west-1' },
      units: [],
    });
    // AND the fleet accepts it
    expect(defineFleet({ clusters: [cluster] }).clusters).toHaveLength(1);
  });

  it('passes the same validated facts object it was given, and keeps an EKS name that differs', () => {
    const given = new ClusterFacts({ ...facts, eksClusterName: 'edge-eks' });
    let seen: unknown;
    const cluster = defineCluster(given, (c) => {
      seen = c;
      return { bootstrap: { ackIamControllerRoleArn: c.roleArn('x') }, units: [] };
    });
    expect(seen).toBe(given);
    expect(cluster.eksClusterName).toBe('edge-eks');
  });

  it('fails before the units are built if a fact is wrong', () => {
    let built = false;
    expect(() =>
      defineCluster({ ...facts, account: '12345' }, () => {
        built = true;
        return { bootstrap: { ackIamControllerRoleArn: '' }, units: [] };
      }),
    ).toThrow(ClusterFactsError);
    expect(built).toBe(false);
  });
});
