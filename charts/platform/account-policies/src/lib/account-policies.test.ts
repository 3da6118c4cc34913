import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { RemovalPolicy } from '@flotilla/constructs';
import { renderUnit } from '@flotilla/core';
import { fixtureCluster } from '@flotilla/core/testing';
import { SchemaValidator } from '@flotilla/validate';
import { accountPolicies } from './account-policies-unit';
import { CostCenterPolicy, costCenterStatements, DEFAULT_CREATE_ACTIONS, DEFAULT_TAGGED_RESOURCE_ACTIONS, DEFAULT_UNTAG_ACTIONS } from './cost-center-policy';

const cluster = fixtureCluster('dev', []);

describe('costCenterStatements', () => {
  it('denies creates without the tag, changes to untagged resources and removing the tag', () => {
    const requestTag = { Null: { 'aws:RequestTag/CostCenter': 'true' } };
    const resourceTag = { Null: { 'aws:ResourceTag/CostCenter': 'true' } };
    const ec2 = ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:*:*:volume/*'];
    const rds = ['arn:aws:rds:*:*:db:*', 'arn:aws:rds:*:*:cluster:*'];
    const byService = (actions: readonly string[], service: string) => actions.filter((a) => a.startsWith(`${service}:`));
    const others = (actions: readonly string[]) => actions.filter((a) => !a.startsWith('ec2:') && !a.startsWith('rds:'));
    expect(costCenterStatements()).toEqual([
      { sid: 'DenyCreateWithoutCostCenterEc2', effect: 'Deny', actions: ['ec2:RunInstances', 'ec2:CreateVolume'], resources: ec2, conditions: requestTag },
      { sid: 'DenyCreateWithoutCostCenterRds', effect: 'Deny', actions: ['rds:CreateDBInstance', 'rds:CreateDBCluster'], resources: rds, conditions: requestTag },
      { sid: 'DenyCreateWithoutCostCenter', effect: 'Deny', actions: others(DEFAULT_CREATE_ACTIONS), resources: ['*'], conditions: requestTag },
      { sid: 'DenyChangesWithoutCostCenterEc2', effect: 'Deny', actions: byService(DEFAULT_TAGGED_RESOURCE_ACTIONS, 'ec2'), resources: ec2, conditions: resourceTag },
      { sid: 'DenyChangesWithoutCostCenterRds', effect: 'Deny', actions: byService(DEFAULT_TAGGED_RESOURCE_ACTIONS, 'rds'), resources: rds, conditions: resourceTag },
      { sid: 'DenyChangesWithoutCostCenter', effect: 'Deny', actions: others(DEFAULT_TAGGED_RESOURCE_ACTIONS), resources: ['*'], conditions: resourceTag },
      { sid: 'DenyRemovingCostCenter', effect: 'Deny', actions: [...DEFAULT_UNTAG_ACTIONS], resources: ['*'], conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['CostCenter'] } } },
    ]);
  });

  it('scopes EC2 denies to instances and volumes, so images, subnets and security groups of RunInstances are not denied', () => {
    const [runInstances] = costCenterStatements({ createActions: ['ec2:RunInstances'], partition: 'aws-cn' });
    expect(runInstances!.resources).toEqual(['arn:aws-cn:ec2:*:*:instance/*', 'arn:aws-cn:ec2:*:*:volume/*']);
  });

  it('uses a custom tag key and drops groups without actions', () => {
    const statements = costCenterStatements({ tagKey: 'cost-center', createActions: ['ec2:RunInstances'], taggedResourceActions: ['lambda:UpdateFunctionCode'], untagActions: [] });
    expect(statements.map((s) => s.sid)).toEqual(['DenyCreateWithoutCostCenterEc2', 'DenyChangesWithoutCostCenter']);
    expect(statements[0]!.conditions).toEqual({ Null: { 'aws:RequestTag/cost-center': 'true' } });
  });

  it('fails if the tag key is invalid', () => {
    expect(() => costCenterStatements({ tagKey: 'cost center' })).toThrow(/tagKey "cost center" is not a valid AWS tag key/);
  });
});

describe('CostCenterPolicy', () => {
  it('renders an orphaned Upbound Policy with the deny document and one attachment per role and group', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new CostCenterPolicy(chart, 'policy', { name: 'dev-require-cost-center', attachTo: { roles: ['dev-karpenter', 'Deployers_CI'], groups: ['developers'] } });
    // THEN
    const [policy, ...attachments] = Testing.synth(chart);
    expect(policy.apiVersion).toBe('iam.aws.upbound.io/v1beta1');
    expect(policy.kind).toBe('Policy');
    expect(policy.metadata).toEqual({ name: 'dev-require-cost-center' });
    expect(policy.spec.deletionPolicy).toBe('Orphan');
    expect(policy.spec.providerConfigRef).toEqual({ name: 'default' });
    const statements = JSON.parse(policy.spec.forProvider.policy).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(costCenterStatements().map((s) => s.sid));
    expect(new Set(statements.map((s: any) => s.Effect))).toEqual(new Set(['Deny']));
    expect(attachments.map((a) => [a.kind, a.metadata.name, a.spec.forProvider])).toEqual([
      ['RolePolicyAttachment', 'dev-require-cost-center-role-dev-karpenter', { role: 'dev-karpenter', policyArnRef: { name: 'dev-require-cost-center' } }],
      ['RolePolicyAttachment', 'dev-require-cost-center-role-deployers-ci', { role: 'Deployers_CI', policyArnRef: { name: 'dev-require-cost-center' } }],
      ['GroupPolicyAttachment', 'dev-require-cost-center-group-developers', { group: 'developers', policyArnRef: { name: 'dev-require-cost-center' } }],
    ]);
    for (const attachment of attachments) {
      expect(attachment.spec.deletionPolicy).toBe('Orphan');
      expect(attachment.spec.providerConfigRef).toEqual({ name: 'default' });
    }
  });

  it('deletes with the objects and uses another provider config when asked', () => {
    const chart = Testing.chart();
    new CostCenterPolicy(chart, 'policy', { name: 'p', attachTo: { groups: ['g'] }, removalPolicy: RemovalPolicy.DESTROY, providerConfigName: 'aws-prod' });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => [o.spec.deletionPolicy, o.spec.providerConfigRef.name])).toEqual([
      ['Delete', 'aws-prod'],
      ['Delete', 'aws-prod'],
    ]);
  });

  it('fails if the path is not an IAM path', () => {
    expect(() => new CostCenterPolicy(Testing.chart(), 'p', { name: 'p', attachTo: { groups: ['g'] }, path: 'crossplane/dev' })).toThrow(/path "crossplane\/dev" must start and end with '\/'/);
  });

  it('fails if the policy is attached to nobody', () => {
    expect(() => new CostCenterPolicy(Testing.chart(), 'p', { name: 'p', attachTo: {} })).toThrow(/attachTo lists no role or group/);
  });

  it('fails if two principals map to the same object name or a name is invalid', () => {
    expect(() => new CostCenterPolicy(Testing.chart(), 'p', { name: 'p', attachTo: { roles: ['Ops_A', 'ops-a'] } })).toThrow(/maps to the object name "p-role-ops-a" twice/);
    expect(() => new CostCenterPolicy(Testing.chart(), 'p', { name: 'P_Policy', attachTo: { roles: ['r'] } })).toThrow(/CostCenterPolicy name "P_Policy" must be lowercase/);
    expect(() => new CostCenterPolicy(Testing.chart(), 'p', { name: 'p', attachTo: { roles: ['bad role'] } })).toThrow(/"bad role" is not an IAM role or group name/);
  });
});

describe('account-policies unit', () => {
  const unit = accountPolicies({ costCenter: { attachTo: { roles: ['dev-karpenter'] } } });

  it('is an infra-configs unit naming the policy after the cluster', () => {
    expect([unit.name, unit.project, unit.layer]).toEqual(['account-policies', 'account-policies', 'infra-configs']);
    const objects = renderUnit(unit, cluster);
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['Policy/dev-require-cost-center', 'RolePolicyAttachment/dev-require-cost-center-role-dev-karpenter']);
    // Under the path the Crossplane IAM provider may manage.
    expect((objects[0]!.spec as any).forProvider.path).toBe('/crossplane/dev/');
  });

  it('resolves cluster role suffixes to the cluster\'s role names', () => {
    const objects = renderUnit(accountPolicies({ costCenter: { attachTo: { clusterRoleSuffixes: ['karpenter'], roles: ['ci-deployer'], groups: ['developers'] } } }), cluster);
    expect(objects.filter((o) => o.kind !== 'Policy').map((o) => (o.spec as any).forProvider)).toEqual([
      { role: 'dev-karpenter', policyArnRef: { name: 'dev-require-cost-center' } },
      { role: 'ci-deployer', policyArnRef: { name: 'dev-require-cost-center' } },
      { group: 'developers', policyArnRef: { name: 'dev-require-cost-center' } },
    ]);
  });

  it('renders objects that validate against the pinned CRDs with zero errors', () => {
    const rendered = renderUnit(unit, cluster).map((object, index) => ({ file: `account-policies/${index}`, index, object }));
    expect(SchemaValidator.load().validate(rendered).filter((f) => f.severity === 'error')).toEqual([]);
  });
});
