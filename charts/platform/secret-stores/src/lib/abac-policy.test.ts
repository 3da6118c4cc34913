import { describe, expect, it } from 'vitest';
import { accessRolePermissions, accessRoleTrust, assumeAccessRoleStatement } from './abac-policy';

const controllerRoleArn = 'arn:aws:iam::111111111111:role/dev-external-secrets';

describe('accessRoleTrust', () => {
  it('lets only the ESO controller assume the role and tag the session with the tenant key alone', () => {
    // GIVEN / WHEN
    const trust = accessRoleTrust({ controllerRoleArn });
    // THEN
    expect(trust).toEqual([
      { principal: { AWS: controllerRoleArn }, actions: ['sts:AssumeRole'] },
      {
        principal: { AWS: controllerRoleArn },
        actions: ['sts:TagSession'],
        conditions: {
          StringLike: { 'aws:RequestTag/tenant': '?*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant'] },
        },
      },
    ]);
  });

  it('pins tenant values and tolerates inherited transitive keys when configured', () => {
    const trust = accessRoleTrust({ controllerRoleArn, allowedTenants: ['team-a', 'platform'], inheritedTagKeys: ['kubernetes-namespace'] });
    expect(trust[1]!.conditions).toEqual({
      StringEquals: { 'aws:RequestTag/tenant': ['team-a', 'platform'] },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant', 'kubernetes-namespace'] },
    });
  });

  it('fails if the controller role is not a role ARN, the tag key is invalid or the tenant list is empty', () => {
    expect(() => accessRoleTrust({ controllerRoleArn: 'dev-external-secrets' })).toThrow(/controllerRoleArn "dev-external-secrets" is not an IAM role ARN/);
    expect(() => accessRoleTrust({ controllerRoleArn, tagKey: 'bad key' })).toThrow(/tagKey "bad key" is not a valid IAM tag key/);
    expect(() => accessRoleTrust({ controllerRoleArn, allowedTenants: [] })).toThrow(/allowedTenants \[\] must list at least one/);
  });
});

describe('accessRolePermissions', () => {
  it('reads only secrets whose tenant tag equals the session tenant tag', () => {
    expect(accessRolePermissions({ partition: 'aws', account: '111111111111', region: 'eu-north-1' })).toEqual([
      {
        sid: 'ReadSecretsOfTheSessionTenant',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: ['arn:aws:secretsmanager:eu-north-1:111111111111:secret:*'],
        conditions: {
          StringEquals: { 'secretsmanager:ResourceTag/tenant': '${aws:PrincipalTag/tenant}' },
          Null: { 'aws:PrincipalTag/tenant': 'false' },
        },
      },
    ]);
  });

  it('adds kms:Decrypt through Secrets Manager only for a customer-managed key', () => {
    const statements = accessRolePermissions({ partition: 'aws', account: '111111111111', region: 'eu-north-1', tagKey: 'team', kmsKeyArn: 'arn:aws:kms:eu-north-1:111111111111:key/abc' });
    expect(statements[0]!.conditions!.StringEquals).toEqual({ 'secretsmanager:ResourceTag/team': '${aws:PrincipalTag/team}' });
    expect(statements[1]).toEqual({
      sid: 'DecryptThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: ['arn:aws:kms:eu-north-1:111111111111:key/abc'],
      conditions: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-north-1.amazonaws.com' } },
    });
  });
});

describe('assumeAccessRoleStatement', () => {
  it('is what the ESO controller needs to chain with session tags', () => {
    expect(assumeAccessRoleStatement('arn:aws:iam::111111111111:role/dev-tenant-secrets')).toEqual({
      sid: 'AssumeTenantSecretsAccessRole',
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      resources: ['arn:aws:iam::111111111111:role/dev-tenant-secrets'],
    });
  });
});
