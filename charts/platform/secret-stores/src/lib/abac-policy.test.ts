import { describe, expect, it } from 'vitest';
import { accessRolePermissions, accessRoleTrust, assumeAccessRoleStatement } from './abac-policy';
import { SecretsKms } from './secrets-kms';

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
    expect(accessRolePermissions({ partition: 'aws', account: '111111111111', region: 'eu-north-1', kms: SecretsKms.awsManagedOnly() })).toEqual([
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

  it('decrypts by default with any customer-managed key of the account and region, only through Secrets Manager and for its secrets', () => {
    // GIVEN no kms option (a team's secret under its own key must work without an IAM change)
    const statements = accessRolePermissions({ partition: 'aws', account: '111111111111', region: 'eu-north-1', tagKey: 'team' });
    expect(statements[0]!.conditions!.StringEquals).toEqual({ 'secretsmanager:ResourceTag/team': '${aws:PrincipalTag/team}' });
    expect(statements[1]).toEqual({
      sid: 'DecryptTenantSecretsThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: ['arn:aws:kms:eu-north-1:111111111111:key/*'],
      conditions: {
        StringEquals: { 'kms:ViaService': 'secretsmanager.eu-north-1.amazonaws.com' },
        StringLike: { 'kms:EncryptionContext:SecretARN': 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:*' },
      },
    });
  });

  it('limits kms:Decrypt to typed key ARNs, optionally to keys tagged with the session tenant', () => {
    const key = 'arn:aws:kms:eu-north-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const [, kms] = accessRolePermissions({ partition: 'aws', account: '111111111111', region: 'eu-north-1', kms: SecretsKms.keys([key], { keysTaggedByTenant: true }) });
    expect(kms!.resources).toEqual([key]);
    expect(kms!.conditions!.StringEquals).toEqual({ 'kms:ViaService': 'secretsmanager.eu-north-1.amazonaws.com', 'aws:ResourceTag/tenant': '${aws:PrincipalTag/tenant}' });
    expect(accessRolePermissions({ partition: 'aws', account: '111111111111', region: 'eu-north-1', kms: SecretsKms.awsManagedOnly() })).toHaveLength(1);
  });

  it('fails if a key is not a key ARN or none is given', () => {
    expect(() => SecretsKms.keys(['alias/tenants'])).toThrow(/'alias\/tenants' is not a KMS key ARN .*aliases cannot scope/);
    expect(() => SecretsKms.keys([])).toThrow(/needs at least one key ARN/);
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
