import { describe, expect, it } from 'vitest';
import { handlerPolicyStatements } from './iam';

const binding = { region: 'eu-west-1', account: '111122223333', applicationId: 'ba8toh7', environmentId: 'pgil2o7', configurationProfileId: 'ga3tqep', secretId: 'flotilla/shop/prod/web' };
const app = 'arn:aws:appconfig:eu-west-1:111122223333:application/ba8toh7';

describe('handlerPolicyStatements', () => {
  it('grants each action on the narrowest resource of one binding', () => {
    expect(handlerPolicyStatements(binding)).toEqual([
      { Sid: 'ReadProfile', Effect: 'Allow', Action: ['appconfig:GetConfigurationProfile'], Resource: [`${app}/configurationprofile/ga3tqep`] },
      { Sid: 'ReadHostedVersions', Effect: 'Allow', Action: ['appconfig:GetHostedConfigurationVersion'], Resource: [`${app}/configurationprofile/ga3tqep/hostedconfigurationversion/*`] },
      { Sid: 'ListDeployments', Effect: 'Allow', Action: ['appconfig:ListDeployments'], Resource: [`${app}/environment/pgil2o7`] },
      { Sid: 'ReadDeployments', Effect: 'Allow', Action: ['appconfig:GetDeployment'], Resource: [`${app}/environment/pgil2o7/deployment/*`] },
      { Sid: 'ReadDataPlane', Effect: 'Allow', Action: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'], Resource: [`${app}/environment/pgil2o7/configuration/ga3tqep`] },
      { Sid: 'WriteHashSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], Resource: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:flotilla/shop/prod/web-??????'] },
    ]);
  });

  it('drops the data plane for hosted profiles and adds the KMS key with kms:ViaService', () => {
    const statements = handlerPolicyStatements({ ...binding, profileLocation: 'hosted', kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234', partition: 'aws' });
    expect(statements.map((s) => s.Sid)).toEqual(['ReadProfile', 'ReadHostedVersions', 'ListDeployments', 'ReadDeployments', 'WriteHashSecret', 'UseSecretKey']);
    expect(statements.at(-1)).toEqual({
      Sid: 'UseSecretKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: ['arn:aws:kms:eu-west-1:111122223333:key/1234'],
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    });
  });

  it('keeps only the data plane for external profiles and uses a full secret ARN as given', () => {
    const statements = handlerPolicyStatements({ ...binding, profileLocation: 'external', secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:web-AbCdEf' });
    expect(statements.map((s) => s.Sid)).toEqual(['ReadProfile', 'ReadDataPlane', 'WriteHashSecret']);
    expect(statements.at(-1)!.Resource).toEqual(['arn:aws:secretsmanager:eu-west-1:111122223333:secret:web-AbCdEf']);
  });
});
