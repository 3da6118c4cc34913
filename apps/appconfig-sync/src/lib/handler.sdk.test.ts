// The handler with the real SDK clients (createClients) against a local HTTP server: serialisation, signing,
// the endpoint environment variables and the retry policy, in-process. The bundle is exercised in tools/bundle.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAws } from '../../tools/fake-aws';
import { createHandler } from './handler';
import { configurationHash } from './hash';
import type { LogEntry } from './log';
import { secretStringFor } from './secret-writer';
import { APP, deploymentEvent, ENV, invocationPayload, PROFILE, SECRET } from '@flotilla/appconfig-contract/testing';

let fake: FakeAws;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  fake = new FakeAws();
  await fake.start();
  for (const [key, value] of Object.entries(fake.sdkEnvironment())) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});
afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await fake.stop();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.faults.length = 0;
  fake.secrets.clear();
  fake.secrets.set(SECRET, { versions: [] });
  fake.profiles.set(`${APP}/${PROFILE}`, { locationUri: 'hosted' });
});

describe('appconfig-sync handler with the real SDK over HTTP', () => {
  it('retries a 503 and a throttle through the SDK and writes once', async () => {
    // GIVEN hosted version 2 and one 503 from AppConfig and one throttle from Secrets Manager
    fake.hosted.set(`${APP}/${PROFILE}/2`, { content: 'retries: 3\n', contentType: 'application/x-yaml' });
    fake.faults.push({ api: 'GetHostedConfigurationVersion', status: 503 }, { api: 'PutSecretValue', status: 400, errorType: 'ThrottlingException' });
    const logs: LogEntry[] = [];
    // WHEN the default handler (clients from the environment) handles deployment 4
    const outcome = await createHandler({ log: (entry) => logs.push(entry) })(invocationPayload(deploymentEvent({ deploymentNumber: 4, version: '2' })));
    // THEN both faults were retried by the SDK and the value landed
    const hash = configurationHash({ content: new TextEncoder().encode('retries: 3\n'), contentType: 'application/x-yaml' });
    expect(outcome).toMatchObject({ status: 'written', hash });
    expect(fake.currentValue(SECRET)).toBe(secretStringFor(hash));
    expect(fake.requests.map((r) => `${r.api} ${r.status}`)).toEqual([
      'GetConfigurationProfile 200',
      'GetHostedConfigurationVersion 503',
      'GetHostedConfigurationVersion 200',
      'GetSecretValue 400',
      'PutSecretValue 400',
      'PutSecretValue 200',
    ]);
    expect(fake.requests[2]!.headers['amz-sdk-request']).toBe('attempt=2; max=5');
    expect(fake.requests[5]!.headers['amz-sdk-request']).toBe('attempt=2; max=5');
    // AND the requests are what AWS expects: the version as a path integer, SigV4 for the right service
    expect(fake.requests[2]!.url).toBe(`/applications/${APP}/configurationprofiles/${PROFILE}/hostedconfigurationversions/2`);
    expect(fake.requests[2]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLEFAKE\/\d{8}\/eu-west-1\/appconfig\/aws4_request/);
    expect(fake.requests[5]!.headers['x-amz-target']).toBe('secretsmanager.PutSecretValue');
    expect(JSON.parse(fake.requests[5]!.body)).toEqual({ SecretId: SECRET, SecretString: secretStringFor(hash), ClientRequestToken: (outcome as { clientRequestToken: string }).clientRequestToken });
  });

  it('finds the last COMPLETE deployment across list pages on rollback', async () => {
    fake.hosted.set(`${APP}/${PROFILE}/1`, { content: '{"a":1}', contentType: 'application/json' });
    fake.deployments.push(
      { environmentId: ENV, deploymentNumber: 1, configurationProfileId: PROFILE, configurationVersion: '1', state: 'COMPLETE' },
      { environmentId: ENV, deploymentNumber: 2, configurationProfileId: 'other01', configurationVersion: '5', state: 'COMPLETE' },
      { environmentId: ENV, deploymentNumber: 3, configurationProfileId: PROFILE, configurationVersion: '2', state: 'ROLLED_BACK' },
    );
    const outcome = await createHandler({ log: () => undefined })(invocationPayload(deploymentEvent({ type: 'OnDeploymentRolledBack', deploymentNumber: 3, version: '2' })));
    expect(outcome).toMatchObject({ status: 'written', origin: { versionNumber: 1, fromDeploymentNumber: 1 } });
    expect(fake.requests.filter((r) => r.api === 'ListDeployments').map((r) => r.url)).toEqual([
      `/applications/${APP}/environments/${ENV}/deployments?max_results=50`,
      `/applications/${APP}/environments/${ENV}/deployments?max_results=50&next_token=2`,
    ]);
  });

  it('reads an S3-backed profile through the data plane', async () => {
    fake.profiles.set(`${APP}/${PROFILE}`, { locationUri: 's3://bucket/web.json' });
    fake.effective.set(`${APP}/${ENV}/${PROFILE}`, { content: '{"b":2}', contentType: 'application/json' });
    const outcome = await createHandler({ log: () => undefined })(invocationPayload(deploymentEvent({ version: 'object-version-xyz' })));
    expect(outcome).toMatchObject({ status: 'written', hash: configurationHash({ content: new TextEncoder().encode('{"b":2}'), contentType: 'application/json' }) });
    const session = fake.requests.find((r) => r.api === 'StartConfigurationSession')!;
    expect(JSON.parse(session.body)).toEqual({ ApplicationIdentifier: APP, EnvironmentIdentifier: ENV, ConfigurationProfileIdentifier: PROFILE });
    // The data plane signs as "appconfig" too: that is why the IAM actions carry the appconfig: prefix.
    expect(session.headers.authorization).toMatch(/\/eu-west-1\/appconfig\/aws4_request/);
  });

  it('fails if the secret does not exist: the write error is thrown, not swallowed', async () => {
    fake.secrets.clear();
    fake.hosted.set(`${APP}/${PROFILE}/1`, { content: '{}', contentType: 'application/json' });
    await expect(createHandler({ log: () => undefined })(invocationPayload(deploymentEvent()))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(fake.requests.map((r) => `${r.api} ${r.status}`).slice(-2)).toEqual(['GetSecretValue 400', 'PutSecretValue 400']);
  });
});
