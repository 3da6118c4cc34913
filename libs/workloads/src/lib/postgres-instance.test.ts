import { Size, Testing } from 'cdk8s';
import { RemovalPolicy } from '@flotilla/constructs';
import { describe, expect, test } from 'vitest';
import { PostgresInstance, type PostgresInstanceProps } from './postgres-instance';
import { RDS_MASTER_SECRET_ARN as ARN, TEAM_A as team } from '../testing';

const base: PostgresInstanceProps = {
  team,
  name: 'web-db',
  account: '111111111111',
  region: 'eu-north-1',
  instanceClass: 'db.t4g.micro',
  engineVersion: '17.6',
  allocatedStorage: Size.gibibytes(20),
  subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
  securityGroupIds: ['sg-0a1b2c3d4e5f60010'],
};

function render(overrides: Partial<PostgresInstanceProps> = {}) {
  const chart = Testing.chart();
  const db = new PostgresInstance(chart, 'Db', { ...base, ...overrides });
  const objects = Testing.synth(chart) as any[];
  return { db, objects, of: (kind: string) => objects.filter((o) => o.kind === kind) };
}

describe('PostgresInstance', () => {
  test('renders a retained DBInstance with an RDS-managed master password and safe defaults', () => {
    const instance = render().of('DBInstance')[0];
    expect(instance.apiVersion).toBe('rds.services.k8s.aws/v1alpha1');
    expect(instance.metadata.annotations).toEqual({
      'services.k8s.aws/deletion-policy': 'retain',
      'rds.services.k8s.aws/skip-final-snapshot': 'false',
      'rds.services.k8s.aws/final-db-snapshot-identifier': 'team-a-web-db-final',
    });
    expect(instance.spec).toMatchObject({
      dbInstanceIdentifier: 'team-a-web-db',
      engine: 'postgres',
      engineVersion: '17.6',
      manageMasterUserPassword: true,
      masterUsername: 'app',
      dbName: 'web_db',
      allocatedStorage: 20,
      storageEncrypted: true,
      publiclyAccessible: false,
      deletionProtection: true,
      backupRetentionPeriod: 7,
      dbSubnetGroupRef: { from: { name: 'web-db' } },
      vpcSecurityGroupIDs: ['sg-0a1b2c3d4e5f60010'],
    });
    expect(instance.spec.masterUserPassword).toBeUndefined();
  });

  test('renders the DB subnet group, retained too', () => {
    const group = render().of('DBSubnetGroup')[0];
    expect(group.metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect(group.spec).toMatchObject({ name: 'team-a-web-db', subnetIDs: base.subnetIds });
  });

  test('skipFinalSnapshot and removalPolicy are typed props, not environment checks', () => {
    const instance = render({ skipFinalSnapshot: true, removalPolicy: RemovalPolicy.DESTROY }).of('DBInstance')[0];
    expect(instance.metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'delete', 'rds.services.k8s.aws/skip-final-snapshot': 'true' });
  });

  test('exports the generated secret ARN and endpoint into an outputs ConfigMap', () => {
    const { of } = render();
    expect(of('ConfigMap').map((c) => c.metadata.name)).toEqual(['web-db-outputs']);
    expect(of('FieldExport').map((f) => [f.spec.from.path, f.spec.to])).toEqual([
      ['.status.masterUserSecret.secretARN', { kind: 'configmap', name: 'web-db-outputs', namespace: 'team-a', key: 'masterUserSecretArn' }],
      ['.status.endpoint.address', { kind: 'configmap', name: 'web-db-outputs', namespace: 'team-a', key: 'endpoint' }],
    ]);
    expect(of('FieldExport')[0].spec.from.resource).toEqual({ group: 'rds.services.k8s.aws', kind: 'DBInstance', name: 'web-db' });
  });

  test('grants read on exactly the known secret ARN', () => {
    expect(render({ masterUserSecretArn: ARN }).db.masterSecretReadStatement()).toEqual({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [ARN],
    });
  });

  test('before RDS names the secret, grants read only on secrets tagged with this instance', () => {
    expect(render().db.masterSecretReadStatement()).toEqual({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: ['arn:aws:secretsmanager:eu-north-1:111111111111:secret:rds!db-*'],
      conditions: { StringEquals: { 'secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn': 'arn:aws:rds:eu-north-1:111111111111:db:team-a-web-db' } },
    });
  });

  test('fails if the secret ARN is not an RDS-managed secret', () => {
    expect(() => render({ masterUserSecretArn: 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:other-AbCdEf' })).toThrow(/'masterUserSecretArn' .* must be the RDS-managed secret ARN/);
  });

  test('fails if only one subnet is given', () => {
    expect(() => render({ subnetIds: ['subnet-0a1b2c3d4e5f60001'] })).toThrow(/'subnetIds' .* at least two distinct subnet ids/);
  });

  test('fails if storage is below 20 GiB', () => {
    expect(() => render({ allocatedStorage: Size.gibibytes(10) })).toThrow(/'allocatedStorage' \(10 GiB\) must be a whole number of GiB from 20/);
  });

  test('fails if the instance class is malformed', () => {
    expect(() => render({ instanceClass: 't4g.micro' })).toThrow(/'instanceClass' \('t4g.micro'\) must look like 'db.t4g.micro'/);
  });
});
