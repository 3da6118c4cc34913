import { describe, expect, it } from 'vitest';
import { fixtureCluster } from '@flotilla/core/testing';
import { bindingHandlerStatements, bindingNames, bindingReadStatements, locationUriOf, syncAliasArn, type AppConfigBindingSpec } from './binding-spec';

const cluster = fixtureCluster('dev', []);
const spec: AppConfigBindingSpec = {
  name: 'shop',
  team: { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' },
  application: 'shop',
  environment: 'dev',
  profile: 'settings',
  schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  ids: { applicationId: 'ba8toh7', environmentId: 'pgil2o7', configurationProfileId: 'ga3tqep' },
};

describe('binding names', () => {
  it('derives every name and ARN from the cluster and the spec', () => {
    expect(bindingNames(cluster, spec)).toEqual({
      objectName: 'team-a-shop',
      secretName: 'flotilla/dev/appconfig/team-a/shop',
      kubernetesSecretName: 'shop-appconfig-version',
      ruleName: 'dev-appconfig-team-a-shop',
      ruleArn: 'arn:aws:events:eu-north-1:123456789012:rule/dev-appconfig-team-a-shop',
      policyName: 'appconfig-team-a-shop',
      permissionStatementId: 'events-team-a-shop',
      deploymentStrategyName: 'flotilla-team-a-shop-rollout',
      monitorAlarmName: 'dev-appconfig-team-a-shop-restarts',
      editorRoleName: 'dev-appconfig-team-a-shop-editor',
      approverRoleName: 'dev-appconfig-team-a-shop-approver',
    });
    expect(syncAliasArn(cluster)).toBe('arn:aws:lambda:eu-north-1:123456789012:function:dev-appconfig-sync:live');
  });

  it('fails if the rule name would exceed 64 characters', () => {
    const long = { ...spec, name: 'a-very-long-binding-name-for-the-shop', team: { ...spec.team, namespace: 'team-with-a-long-namespace' } };
    expect(() => bindingNames(cluster, long)).toThrow(/rule name 'dev-appconfig-team-with-a-long-namespace-a-very-long-binding-name-for-the-shop' is 78 characters, EventBridge allows 64; shorten the binding name/);
  });

  it('fails if a name is not usable in PREFETCH_LIST or an ID is not an AppConfig ID', () => {
    expect(() => bindingNames(cluster, { ...spec, profile: 'my:profile' })).toThrow(/'profile' \('my:profile'\) must be 1-64 letters, digits/);
    expect(() => bindingNames(cluster, { ...spec, name: 'Shop' })).toThrow(/'name' \('Shop'\) must be a DNS label/);
    expect(() => bindingNames(cluster, { ...spec, ids: { ...spec.ids!, environmentId: 'PGIL2O7' } })).toThrow(/'ids.environmentId' \('PGIL2O7'\) must be an AppConfig ID/);
  });
});

describe('binding statements', () => {
  it('narrows the Lambda statements to the data plane for S3 profiles and adds the secret key', () => {
    const s3 = {
      ...spec,
      location: { type: 's3' as const, bucket: 'configs', key: 'shop.json', retrievalRoleArn: 'arn:aws:iam::123456789012:role/appconfig-read' },
      kmsKeyArn: 'arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    };
    expect(locationUriOf(s3.location)).toBe('s3://configs/shop.json');
    expect(bindingHandlerStatements(cluster, s3).map((s) => s.sid)).toEqual(['ReadProfile', 'ReadDataPlane', 'WriteHashSecret', 'UseSecretKey']);
    expect(bindingHandlerStatements(cluster, s3)[1]!.resources).toEqual(['arn:aws:appconfig:eu-north-1:123456789012:application/ba8toh7/environment/pgil2o7/configuration/ga3tqep']);
  });

  it('fails if the IDs are not known yet', () => {
    expect(() => bindingReadStatements(cluster, { ...spec, ids: undefined })).toThrow(
      /appconfig binding 'team-a\/shop' has no 'ids' yet, so the workload read policy cannot be scoped; deploy phase 1, then copy the IDs/,
    );
  });

  it('fails if an external location has no role ARN', () => {
    const ssm = { ...spec, location: { type: 'ssm-parameter' as const, parameterName: '/shop/settings', retrievalRoleArn: 'appconfig-read' } };
    expect(() => bindingNames(cluster, ssm)).toThrow(/'location.retrievalRoleArn' \('appconfig-read'\) must be an IAM role ARN/);
  });
});
