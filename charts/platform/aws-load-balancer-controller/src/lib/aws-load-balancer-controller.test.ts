import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { findRepoRoot } from '@flotilla/model';
import { awsLoadBalancerController } from './aws-load-balancer-controller';
import { loadBalancerControllerStatements } from './aws-load-balancer-controller-iam';

const cluster = fixtureCluster('dev', [], { account: '111111111111' });
const render = () => renderUnits(awsLoadBalancerController({ vpcId: 'vpc-0a1b2c3d4e5f60000' }), cluster);
const asList = (value: unknown) => (Array.isArray(value) ? value : [value]);
/** A policy's statements with Action and Resource always lists (the vendored file mixes both forms). */
const normalized = (statements: { Action: unknown; Resource: unknown; Condition?: unknown; Effect: string }[]) =>
  statements.map((s) => ({ Effect: s.Effect, Action: asList(s.Action), Resource: asList(s.Resource), ...(s.Condition ? { Condition: s.Condition } : {}) }));

describe('awsLoadBalancerController', () => {
  it('renders a Pod Identity unit before the release', () => {
    expect(awsLoadBalancerController({ vpcId: 'vpc-0a1b2c3d4e5f60000' }).map((unit) => [unit.name, unit.layer, unit.dependsOn])).toEqual([
      ['aws-load-balancer-controller.identity', 'infra-controllers', ['ack.iam', 'ack.eks']],
      ['aws-load-balancer-controller', 'infra-controllers', ['aws-load-balancer-controller.identity']],
    ]);
  });

  it('grants the upstream-recommended policy (v3.5.0 docs/install/iam_policy.json, vendored) statement for statement', () => {
    const vendored = JSON.parse(readFileSync(join(findRepoRoot(__dirname), 'libs/upstream/iam/aws-load-balancer-controller/iam_policy.json'), 'utf8')) as { Statement: never[] };
    const unscoped = JSON.parse(JSON.stringify(loadBalancerControllerStatements({ partition: 'aws', region: '*', account: '*' }).map((s) => ({ Effect: 'Allow', Action: s.actions, Resource: s.resources, ...(s.conditions ? { Condition: s.conditions } : {}) }))));
    expect(unscoped).toEqual(normalized(vendored.Statement));
  });

  it("narrows every EC2 and ELB ARN to the cluster's region and account, on the role the Pod Identity association binds to kube-system/aws-load-balancer-controller", () => {
    const objects = render().get('aws-load-balancer-controller.identity')!;
    const role = findObject(objects, 'Role').spec as { name: string; inlinePolicies: Record<string, string> };
    expect(role.name).toBe('dev-aws-load-balancer-controller');
    const resources = (JSON.parse(role.inlinePolicies['aws-load-balancer-controller']!).Statement as { Resource: unknown }[]).flatMap((s) => asList(s.Resource) as string[]);
    const arns = resources.filter((r) => r.startsWith('arn:'));
    expect(arns.length).toBeGreaterThan(5);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws:(ec2|elasticloadbalancing):eu-north-1:111111111111:/);
    expect(findObject(objects, 'PodIdentityAssociation').spec).toMatchObject({ namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller' });
  });

  it('installs chart 3.5.0 from eks-charts into kube-system with its CRDs, no ALB IngressClass and no cluster-wide Service webhook', () => {
    const release = findObject(render().get('aws-load-balancer-controller')!, 'HelmRelease');
    expect(release.metadata).toMatchObject({ name: 'aws-load-balancer-controller', namespace: 'kube-system', annotations: { 'flotilla.dev/installs-crds': 'elbv2.k8s.aws' } });
    expect(release.spec).toMatchObject({
      chart: { spec: { chart: 'aws-load-balancer-controller', version: '3.5.0' } },
      values: {
        clusterName: 'dev',
        region: 'eu-north-1',
        vpcId: 'vpc-0a1b2c3d4e5f60000',
        replicaCount: 2,
        serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
        enableServiceMutatorWebhook: false,
        createIngressClassResource: false,
        podDisruptionBudget: { maxUnavailable: 1 },
      },
    });
    expect(findObject(render().get('aws-load-balancer-controller')!, 'HelmRepository').spec).toMatchObject({ url: 'https://aws.github.io/eks-charts' });
  });

  it('fails for a VPC id that is not one, or no replicas', () => {
    expect(() => awsLoadBalancerController({ vpcId: 'vpc-1' })).toThrow("awsLoadBalancerController vpcId 'vpc-1' is not a VPC id; pass c.vpc.id");
    expect(() => awsLoadBalancerController({ vpcId: 'vpc-0a1b2c3d4e5f60000', replicas: 0 })).toThrow(/replicas is 0; use a whole number of at least 1/);
  });
});
