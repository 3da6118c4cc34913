import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import { CONFIG_ENV, parseConfig } from '@flotilla/policy-findings-contract';
import { readArtifact, readSignedArtifacts } from '@flotilla/policy-findings-contract/artifact';
import { policyFindings } from './platform-unit';

const cluster = fixtureCluster('prod', [], { account: '222222222222', region: 'eu-north-1', eksClusterName: 'prod-eks', artifacts: { bucket: 'artifacts-222222222222', prefix: 'lambda/' } });
const render = (props = {}) => renderUnit(policyFindings(props)[0]!, cluster);
const spec = (object: KubeObject) => object.spec as Record<string, any>;

describe('policy-findings platform unit', () => {
  it('is one infra-configs unit that waits for every ACK object to sync', () => {
    const [unit] = policyFindings();
    expect([unit!.name, unit!.project, unit!.layer]).toEqual(['policy-findings-platform', 'policy-findings-platform', 'infra-configs']);
    expect(unit!.flux?.healthCheckExprs?.map((h) => h.kind)).toEqual(['Role', 'AccessEntry', 'Function', 'Alias', 'Rule']);
  });

  it('renders the function from the committed artifact with this cluster in its typed configuration', () => {
    const fn = spec(findObject(render(), 'Function'));
    const artifact = readArtifact();
    expect(fn).toMatchObject({
      name: 'prod-eks-policy-findings',
      packageType: 'Zip',
      // prod's signed copy (its CodeSigningConfig is Enforce) and that package's digest.
      code: { s3Bucket: 'artifacts-222222222222', s3Key: `lambda/signed/${artifact.fileName}`, sha256: readSignedArtifacts().clusters.prod!.sha256 },
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      reservedConcurrentExecutions: 1,
      timeout: 120,
      roleRef: { from: { name: 'policy-findings' } },
      codeSigningConfigRef: { from: { name: 'flotilla-lambda' } },
    });
    // The function's own parser accepts what synth renders.
    expect(parseConfig(fn.environment.variables[CONFIG_ENV])).toEqual({
      schema: 'flotilla.policy-findings/v1',
      account: '222222222222',
      region: 'eu-north-1',
      clusters: [{ name: 'prod', eksClusterName: 'prod-eks' }],
    });
  });

  it('schedules it every 10 minutes through the live alias, which allows only that rule to invoke it', () => {
    const objects = render();
    expect(spec(findObject(objects, 'Rule'))).toMatchObject({
      name: 'prod-eks-policy-findings',
      scheduleExpression: 'rate(10 minutes)',
      state: 'ENABLED',
      targets: [{ id: 'policy-findings', arn: 'arn:aws:lambda:eu-north-1:222222222222:function:prod-eks-policy-findings:live' }],
    });
    expect(spec(findObject(objects, 'Alias')).permissions).toEqual([
      {
        statementID: 'events-schedule',
        action: 'lambda:InvokeFunction',
        principal: 'events.amazonaws.com',
        sourceARN: 'arn:aws:events:eu-north-1:222222222222:rule/prod-eks-policy-findings',
        sourceAccount: '222222222222',
      },
    ]);
  });

  it('gives the role least privilege in AWS and read-only access to constraints in the cluster', () => {
    const objects = render();
    const role = spec(findObject(objects, 'Role'));
    expect(role.policies).toBeUndefined();
    expect(JSON.parse(role.assumeRolePolicyDocument).Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
    const statements = JSON.parse(role.inlinePolicies['policy-findings']).Statement;
    expect(statements.map((s: any) => [s.Action, s.Resource])).toEqual([
      [['securityhub:BatchImportFindings'], ['arn:aws:securityhub:eu-north-1:222222222222:product/222222222222/default']],
      [['securityhub:GetFindings'], ['arn:aws:securityhub:eu-north-1:222222222222:hub/default']],
      [['eks:DescribeCluster'], ['arn:aws:eks:eu-north-1:222222222222:cluster/prod-eks']],
      [['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], ['arn:aws:logs:eu-north-1:222222222222:log-group:/aws/lambda/prod-eks-policy-findings:*']],
    ]);
    const entry = findObject(objects, 'AccessEntry');
    expect(entry.metadata?.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect(spec(entry)).toMatchObject({ clusterName: 'prod-eks', principalARN: 'arn:aws:iam::222222222222:role/prod-eks-policy-findings', type: 'STANDARD', kubernetesGroups: ['flotilla:policy-findings-readers'] });
    expect((findObject(objects, 'ClusterRole') as any).rules).toEqual([{ apiGroups: ['constraints.gatekeeper.sh'], resources: ['*'], verbs: ['get', 'list'] }]);
    expect((findObject(objects, 'ClusterRoleBinding') as any).subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'flotilla:policy-findings-readers' }]);
  });

  it('fails with the fix when the cluster has no artifact bucket or the schedule is not an expression', () => {
    expect(() => renderUnit(policyFindings()[0]!, fixtureCluster('dev', []))).toThrow(/cluster 'dev' has no 'artifacts.bucket'; set ClusterConfig.artifacts to the bucket CI uploads policy-findings-[0-9a-f]{16}\.zip to/);
    expect(() => render({ schedule: 'every 10 minutes' })).toThrow("policy-findings: 'schedule' ('every 10 minutes') is not an EventBridge schedule expression; use e.g. 'rate(10 minutes)' or 'cron(0/10 * * * ? *)'");
  });
});
