import { Testing } from 'cdk8s';
import { RemovalPolicy } from '@flotilla/constructs';
import { fixtureCluster } from '@flotilla/core/testing';
import { describe, expect, test } from 'vitest';
import { TenantPermissionsBoundary, tenantBoundaryArn, tenantBoundaryName, tenantBoundaryStatements, tenantRolePrefix } from './tenant-boundary';

const cluster = fixtureCluster('dev', [], { account: '111111111111', region: 'eu-north-1' });

function render(props: Partial<ConstructorParameters<typeof TenantPermissionsBoundary>[2]> = {}) {
  const chart = Testing.chart();
  const boundary = new TenantPermissionsBoundary(chart, 'Boundary', { cluster, ...props });
  const [policy] = Testing.synth(chart) as any[];
  return { boundary, policy, document: JSON.parse(policy.spec.policyDocument) };
}

const statement = (document: any, sid: string) => document.Statement.find((s: any) => s.Sid === sid);

describe('tenant permissions boundary', () => {
  test('names and ARNs come from the cluster', () => {
    expect(tenantBoundaryName(cluster)).toBe('dev-tenant-boundary');
    expect(tenantBoundaryArn(cluster)).toBe('arn:aws:iam::111111111111:policy/dev-tenant-boundary');
    expect(tenantRolePrefix(cluster, 'team-a')).toBe('dev.team-a.');
    const china = fixtureCluster('cn', [], { account: '222222222222', region: 'cn-north-1', eksClusterName: 'cn-eks' });
    expect(tenantBoundaryArn(china)).toBe('arn:aws-cn:iam::222222222222:policy/cn-eks-tenant-boundary');
  });

  test('renders a retained ACK IAM Policy in ack-system', () => {
    const { boundary, policy } = render();
    expect(policy).toMatchObject({
      apiVersion: 'iam.services.k8s.aws/v1alpha1',
      kind: 'Policy',
      metadata: { name: 'dev-tenant-boundary', namespace: 'ack-system', annotations: { 'services.k8s.aws/deletion-policy': 'retain' } },
      spec: { name: 'dev-tenant-boundary', tags: [{ key: 'flotilla.dev/cluster', value: 'dev' }] },
    });
    expect(boundary.policyArn).toBe(tenantBoundaryArn(cluster));
    expect(render({ removalPolicy: RemovalPolicy.DESTROY }).policy.metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'delete' });
  });

  test('reads only secrets tagged for the caller’s tenant, and RDS secrets of the caller’s namespace', () => {
    const { document } = render();
    expect(statement(document, 'ReadSecretsTaggedForTheTenant')).toEqual({
      Sid: 'ReadSecretsTaggedForTheTenant',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:*',
      Condition: { StringEquals: { 'secretsmanager:ResourceTag/tenant': '${aws:PrincipalTag/tenant}' }, Null: { 'aws:PrincipalTag/tenant': 'false' } },
    });
    expect(statement(document, 'ReadDatabaseSecretsOfTheNamespace')).toMatchObject({
      Resource: 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:rds!*',
      Condition: {
        StringLike: { 'secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn': 'arn:aws:rds:eu-north-1:111111111111:db:${aws:PrincipalTag/kubernetes-namespace}-*' },
        Null: { 'aws:PrincipalTag/kubernetes-namespace': 'false' },
      },
    });
  });

  test('scopes every data-plane grant to the caller’s tenant, in the cluster’s account and region', () => {
    const { document } = render();
    const tagged = { Null: { 'aws:PrincipalTag/tenant': 'false' } };
    expect(statement(document, 'ObjectAccessInTheTenantsBuckets')).toMatchObject({
      Resource: ['arn:aws:s3:::${aws:PrincipalTag/tenant}-*', 'arn:aws:s3:::${aws:PrincipalTag/tenant}-*/*'],
      Condition: { StringEquals: { 's3:ResourceAccount': '111111111111' }, ...tagged },
    });
    expect(statement(document, 'ObjectAccessInTheTenantsBuckets').Action).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:AbortMultipartUpload']));
    expect(statement(document, 'ReadAppConfigOfTheTenant')).toMatchObject({
      Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
      Resource: 'arn:aws:appconfig:eu-north-1:111111111111:application/*',
      Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/tenant}' }, ...tagged },
    });
    expect(statement(document, 'ConnectToRdsAsTenantUsers')).toMatchObject({
      Action: 'rds-db:connect',
      Resource: 'arn:aws:rds-db:eu-north-1:111111111111:dbuser:*/${aws:PrincipalTag/tenant}-*',
      Condition: tagged,
    });
    expect(statement(document, 'WriteLogsOfTheTenant')).toMatchObject({ Resource: 'arn:aws:logs:eu-north-1:111111111111:log-group:/tenants/${aws:PrincipalTag/tenant}/*', Condition: tagged });
    // no Allow with a data-plane resource wildcard that reaches past the tenant
    const allows = document.Statement.filter((s: any) => s.Effect === 'Allow');
    for (const s of allows) for (const r of [s.Resource].flat()) expect(r, s.Sid).not.toMatch(/(:s3:::\*|dbuser:\*\/\*$|log-group:\*$)/);
  });

  test('denies the platform’s artifacts bucket explicitly, and has no such statement without one', () => {
    const withArtifacts = fixtureCluster('dev', [], { account: '111111111111', region: 'eu-north-1', artifacts: { bucket: 'flotilla-artifacts-dev' } });
    const chart = Testing.chart();
    new TenantPermissionsBoundary(chart, 'Boundary', { cluster: withArtifacts });
    const document = JSON.parse((Testing.synth(chart) as any[])[0].spec.policyDocument);
    expect(statement(document, 'DenyPlatformBuckets')).toEqual({
      Sid: 'DenyPlatformBuckets',
      Effect: 'Deny',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::flotilla-artifacts-dev', 'arn:aws:s3:::flotilla-artifacts-dev/*'],
    });
    expect(statement(render().document, 'DenyPlatformBuckets')).toBeUndefined();
  });

  test('allows the remaining calls tenant workloads make', () => {
    const { document } = render();
    expect(statement(document, 'WriteMetrics').Action).toBe('cloudwatch:PutMetricData');
    expect(statement(document, 'WriteTraces').Action).toContain('xray:PutTraceSegments');
    expect(statement(document, 'DecryptThroughSecretsManagerAndS3')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'kms:ViaService': ['secretsmanager.eu-north-1.amazonaws.com', 's3.eu-north-1.amazonaws.com'] } },
    });
  });

  test('never allows IAM, STS, Organizations or account actions, and denies them explicitly', () => {
    const { document } = render();
    const allowed = document.Statement.filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => [s.Action].flat());
    for (const action of allowed) expect(action, action).not.toMatch(/^(iam|sts|organizations|account|kms:(Create|Put|Schedule|Disable))/);
    expect(allowed.some((a: string) => a === '*' || a.endsWith(':*'))).toBe(false);
    const denied = (sid: string) => [statement(document, sid)].map((s) => ({ effect: s.Effect, actions: [s.Action].flat(), resources: [s.Resource].flat() }))[0];
    expect(denied('DenyIam')).toEqual({ effect: 'Deny', actions: ['iam:*'], resources: ['*'] });
    expect(denied('DenyRoleAssumption').actions).toEqual(expect.arrayContaining(['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:GetFederationToken', 'sts:TagSession']));
    expect(denied('DenyOrganizations')).toEqual({ effect: 'Deny', actions: ['organizations:*'], resources: ['*'] });
    expect(denied('DenyAccountChanges').actions).toEqual(expect.arrayContaining(['account:*', 'cloudtrail:StopLogging']));
    expect(denied('DenyBoundaryChanges')).toMatchObject({
      effect: 'Deny',
      resources: ['arn:aws:iam::111111111111:policy/dev-tenant-boundary', 'arn:aws:iam::111111111111:role/*'],
    });
    expect(denied('DenyBoundaryChanges').actions).toEqual(expect.arrayContaining(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeleteRolePermissionsBoundary']));
  });

  test('fits IAM’s managed policy size', () => {
    const { policy } = render();
    expect(policy.spec.policyDocument.replace(/\s/g, '').length).toBeLessThan(6_144);
    expect(tenantBoundaryStatements(cluster).length).toBe(14);
  });
});
