import { Testing } from 'cdk8s';
import { fixtureCluster } from '@flotilla/core/testing';
import { describe, expect, test } from 'vitest';
import { tenantBoundaryArn, tenantRolePrefix } from './tenant-boundary';
import { IdentityMode, WorkloadIdentity, type WorkloadIdentityProps } from './workload-identity';
import { TEAM_A as team } from '../testing';

const cluster = fixtureCluster('dev', [], { account: '111111111111', identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/ABC123' } });
const read = { actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:eu-north-1:111111111111:secret:team-a/web-AbCdEf'] };

function render(overrides: Partial<WorkloadIdentityProps> = {}) {
  const chart = Testing.chart();
  const identity = new WorkloadIdentity(chart, 'Identity', { team, serviceAccountName: 'web', cluster, statements: [read], ...overrides });
  const objects = Testing.synth(chart) as any[];
  return { identity, objects, of: (kind: string) => objects.find((o) => o.kind === kind) };
}

describe('WorkloadIdentity', () => {
  test('IRSA: annotates the ServiceAccount and trusts exactly that account on the cluster OIDC provider', () => {
    const { identity, of } = render({ mode: IdentityMode.IRSA });
    expect(identity.roleName).toBe('dev.team-a.web');
    expect(of('ServiceAccount')).toMatchObject({
      metadata: { name: 'web', namespace: 'team-a', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/dev.team-a.web' } },
      automountServiceAccountToken: false,
    });
    const role = of('Role');
    expect(role.apiVersion).toBe('iam.services.k8s.aws/v1alpha1');
    expect(role.metadata.namespace).toBe('team-a');
    expect(JSON.parse(role.spec.assumeRolePolicyDocument).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-north-1.amazonaws.com/id/ABC123' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'oidc.eks.eu-north-1.amazonaws.com/id/ABC123:sub': 'system:serviceaccount:team-a:web',
            'oidc.eks.eu-north-1.amazonaws.com/id/ABC123:aud': 'sts.amazonaws.com',
          },
        },
      },
    ]);
    expect(of('PodIdentityAssociation')).toBeUndefined();
  });

  test('the inline policy carries exactly the given statements', () => {
    const role = render({ mode: IdentityMode.IRSA }).of('Role');
    const policies = Object.values(role.spec.inlinePolicies).map((p) => JSON.parse(p as string));
    expect(policies).toEqual([{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: read.resources[0] }] }]);
  });

  test('Pod Identity (the default): an association binds the role to the ServiceAccount, no annotation', () => {
    const { of } = render();
    expect(of('ServiceAccount').metadata.annotations).toBeUndefined();
    expect(of('PodIdentityAssociation')).toMatchObject({
      apiVersion: 'eks.services.k8s.aws/v1alpha1',
      metadata: { namespace: 'team-a', labels: { team: 'team-a', 'cost-center': 'cc-1001' } },
      spec: { clusterName: 'dev', namespace: 'team-a', serviceAccount: 'web', roleRef: { from: { name: 'team-a-web', namespace: 'team-a' } } },
    });
    expect(JSON.parse(of('Role').spec.assumeRolePolicyDocument).Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
  });

  test('follows the cluster default mode', () => {
    const irsaCluster = { ...cluster, identity: { ...cluster.identity, defaultMode: 'irsa' as const } };
    expect(render({ cluster: irsaCluster }).identity.mode).toBe(IdentityMode.IRSA);
  });

  test('every object carries the team labels and the role is deleted with the app by default', () => {
    const { objects, of } = render();
    for (const object of objects) expect(object.metadata.labels, object.kind).toMatchObject({ team: 'team-a', 'cost-center': 'cc-1001' });
    expect(of('Role').metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'delete' });
  });

  test('by default the role carries the tenant permissions boundary, the tenant prefix and the tenant tags', () => {
    // GIVEN no permissionsBoundaryArn, for both modes
    for (const mode of [IdentityMode.POD_IDENTITY, IdentityMode.IRSA]) {
      const { identity, of } = render({ mode });
      const role = of('Role');
      // THEN
      expect(identity.permissionsBoundaryArn).toBe('arn:aws:iam::111111111111:policy/dev-tenant-boundary');
      expect(role.spec.permissionsBoundary).toBe(tenantBoundaryArn(cluster));
      expect(role.spec.name.startsWith(tenantRolePrefix(cluster, 'team-a'))).toBe(true);
      expect(role.spec.tags).toEqual([
        { key: 'flotilla.dev/cluster', value: 'dev' },
        { key: 'flotilla.dev/service-account', value: 'team-a/web' },
        { key: 'tenant', value: 'team-a' },
        { key: 'kubernetes-namespace', value: 'team-a' },
      ]);
    }
  });

  test('tags the team name as tenant and the namespace separately when they differ', () => {
    const role = render({ team: { name: 'dj', namespace: 'dj-prod', costCenter: 'cc-3001' } }).of('Role');
    expect(role.spec.name).toBe('dev.dj-prod.web');
    expect(role.spec.tags.slice(2)).toEqual([
      { key: 'tenant', value: 'dj' },
      { key: 'kubernetes-namespace', value: 'dj-prod' },
    ]);
  });

  test('a given permissionsBoundaryArn replaces the default', () => {
    const arn = 'arn:aws:iam::111111111111:policy/dev-stricter-boundary';
    const { identity, of } = render({ permissionsBoundaryArn: arn });
    expect(identity.permissionsBoundaryArn).toBe(arn);
    expect(of('Role').spec.permissionsBoundary).toBe(arn);
  });

  test('fails if the ServiceAccount is default', () => {
    expect(() => render({ serviceAccountName: 'default' })).toThrow(/'serviceAccountName' must not be 'default'/);
  });

  test('fails if a statement grants every action', () => {
    expect(() => render({ statements: [{ actions: ['s3:*'], resources: ['arn:aws:s3:::b'] }] })).toThrow(/allows 's3:\*'/);
  });
});
