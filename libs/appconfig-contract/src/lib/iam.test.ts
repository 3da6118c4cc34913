import { describe, expect, it } from 'vitest';
import { handlerPolicyStatements } from './iam';

const binding = { region: 'eu-west-1', account: '111122223333', applicationId: 'ba8toh7', environmentId: 'pgil2o7', configurationProfileId: 'ga3tqep', secretId: 'flotilla/shop/prod/web' };
const app = 'arn:aws:appconfig:eu-west-1:111122223333:application/ba8toh7';

describe('handlerPolicyStatements', () => {
  it('grants each action on the narrowest resource of one binding', () => {
    expect(handlerPolicyStatements(binding)).toEqual([
      { sid: 'ReadProfile', actions: ['appconfig:GetConfigurationProfile'], resources: [`${app}/configurationprofile/ga3tqep`] },
      { sid: 'ReadHostedVersions', actions: ['appconfig:GetHostedConfigurationVersion'], resources: [`${app}/configurationprofile/ga3tqep/hostedconfigurationversion/*`] },
      { sid: 'ListDeployments', actions: ['appconfig:ListDeployments'], resources: [`${app}/environment/pgil2o7`] },
      { sid: 'ReadDeployments', actions: ['appconfig:GetDeployment'], resources: [`${app}/environment/pgil2o7/deployment/*`] },
      { sid: 'ReadDataPlane', actions: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'], resources: [`${app}/environment/pgil2o7/configuration/ga3tqep`] },
      { sid: 'WriteHashSecret', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], resources: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:flotilla/shop/prod/web-??????'] },
    ]);
  });

  it('drops the data plane for hosted profiles and adds the KMS key with kms:ViaService', () => {
    const statements = handlerPolicyStatements({ ...binding, profileLocation: 'hosted', kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234', partition: 'aws' });
    expect(statements.map((s) => s.sid)).toEqual(['ReadProfile', 'ReadHostedVersions', 'ListDeployments', 'ReadDeployments', 'WriteHashSecret', 'UseSecretKey']);
    expect(statements.at(-1)).toEqual({
      sid: 'UseSecretKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['arn:aws:kms:eu-west-1:111122223333:key/1234'],
      conditions: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
  });

  it('keeps only the data plane for external profiles and uses a full secret ARN as given', () => {
    const statements = handlerPolicyStatements({ ...binding, profileLocation: 'external', secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:web-AbCdEf' });
    expect(statements.map((s) => s.sid)).toEqual(['ReadProfile', 'ReadDataPlane', 'WriteHashSecret']);
    expect(statements.at(-1)!.resources).toEqual(['arn:aws:secretsmanager:eu-west-1:111122223333:secret:web-AbCdEf']);
  });
});
