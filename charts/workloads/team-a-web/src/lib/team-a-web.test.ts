import { renderUnit } from '@flotilla/core';
import { fixtureCluster } from '@flotilla/core/testing';
import type { TeamConfig } from '@flotilla/workloads';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { teamAWeb, type TeamAWebProps } from './team-a-web';

const ARN = 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:rds!db-3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b-Ab12Cd';
const team: TeamConfig = { name: 'team-a', costCenter: 'cc-1001', group: 'team-a-developers' };
const cluster = fixtureCluster('dev', [], { account: '111111111111', identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/ABC123' } });
const database: TeamAWebProps['database'] = {
  instanceClass: 'db.t4g.micro',
  subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  securityGroupIds: ['sg-0a1b2c3d4e5f60010'],
  skipFinalSnapshot: false,
  masterUserSecretArn: ARN,
};

function render(overrides: Partial<TeamAWebProps['database']> = {}) {
  const unit = teamAWeb({ team, database: { ...database, ...overrides } });
  const objects = renderUnit(unit, cluster) as any[];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return { unit, objects, of };
}

describe('team-a-web', () => {
  test('is a tenant app unit: reconciled as flux-team-a, forced into team-a, after the teams unit', () => {
    const { unit } = render();
    expect({ name: unit.name, layer: unit.layer, dependsOn: unit.dependsOn, flux: unit.flux }).toEqual({
      name: 'team-a-web',
      layer: 'apps',
      dependsOn: ['teams'],
      flux: { serviceAccountName: 'flux-team-a', targetNamespace: 'team-a' },
    });
  });

  test('renders only namespaced objects in team-a, each labelled', () => {
    const { objects } = render();
    for (const object of objects) {
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe('team-a');
      expect(object.metadata.labels).toMatchObject({ team: 'team-a', 'cost-center': 'cc-1001' });
    }
  });

  test('the database is an ACK DBInstance with an RDS-managed password, retained, with a final snapshot', () => {
    const [db] = render().of('DBInstance');
    expect(db.spec).toMatchObject({ engine: 'postgres', manageMasterUserPassword: true, dbSubnetGroupRef: { from: { name: 'web-db' } } });
    expect(db.metadata.annotations).toMatchObject({ 'services.k8s.aws/deletion-policy': 'retain', 'rds.services.k8s.aws/skip-final-snapshot': 'false' });
    expect(render({ skipFinalSnapshot: true }).of('DBInstance')[0].metadata.annotations['rds.services.k8s.aws/skip-final-snapshot']).toBe('true');
  });

  test('the password is mounted read-only by the CSI driver from the RDS secret, by jmesPath', () => {
    const { of } = render();
    const [spc] = of('SecretProviderClass');
    expect(spc.spec.provider).toBe('aws');
    expect(parse(spc.spec.parameters.objects)).toEqual([
      {
        objectName: ARN,
        objectType: 'secretsmanager',
        objectAlias: 'master-user-secret',
        jmesPath: [
          { path: 'username', objectAlias: 'username' },
          { path: 'password', objectAlias: 'password' },
        ],
      },
    ]);
    const pod = of('Deployment')[0].spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'db-credentials', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'web-db-credentials' } } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ mountPath: '/mnt/secrets/db', name: 'db-credentials', readOnly: true });
    expect(pod.serviceAccountName).toBe('web');
  });

  test('the ServiceAccount has an IRSA role trusted for exactly team-a/web that reads exactly that secret', () => {
    const { of } = render();
    const [sa] = of('ServiceAccount');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/dev.team-a.web' });
    const [role] = of('Role');
    const trust = JSON.parse(role.spec.assumeRolePolicyDocument).Statement[0];
    expect(trust.Condition.StringEquals['oidc.eks.eu-north-1.amazonaws.com/id/ABC123:sub']).toBe('system:serviceaccount:team-a:web');
    const policy = JSON.parse(Object.values(role.spec.inlinePolicies)[0] as string);
    expect(policy.Statement).toEqual([{ Sid: 'ReadDatabaseMasterSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: ARN }]);
  });

  test('no Secret object is ever rendered', () => {
    expect(render().of('Secret')).toEqual([]);
  });

  test('before RDS has named its secret (phase 1) only the database and the identity are rendered', () => {
    const { of, objects } = render({ masterUserSecretArn: undefined });
    expect(of('Deployment')).toEqual([]);
    expect(of('SecretProviderClass')).toEqual([]);
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['DBInstance', 'DBSubnetGroup', 'FieldExport', 'ConfigMap', 'Role', 'ServiceAccount']));
    const policy = JSON.parse(Object.values(of('Role')[0].spec.inlinePolicies)[0] as string);
    expect(policy.Statement[0].Condition).toEqual({ StringEquals: { 'secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn': 'arn:aws:rds:eu-north-1:111111111111:db:team-a-web-db' } });
  });

  test('fails if the secret ARN is not the RDS-managed one', () => {
    expect(() => render({ masterUserSecretArn: 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:team-a/db-AbCdEf' })).toThrow(/must be the RDS-managed secret ARN/);
  });
});
