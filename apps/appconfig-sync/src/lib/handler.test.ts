import { AppConfigClient, GetConfigurationProfileCommand, GetDeploymentCommand, GetHostedConfigurationVersionCommand, ListDeploymentsCommand } from '@aws-sdk/client-appconfig';
import { AppConfigDataClient, GetLatestConfigurationCommand, StartConfigurationSessionCommand } from '@aws-sdk/client-appconfigdata';
import { GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from './handler';
import { configurationHash, rollbackHash } from './hash';
import type { LogEntry } from './log';
import { HASH_KEY } from './secret-writer';
import { APP, deploymentEvent, ENV, invocationPayload, PROFILE, SECRET } from '@flotilla/appconfig-contract/testing';
import { clientRequestTokenFor } from './token';

const appConfig = mockClient(AppConfigClient);
const appConfigData = mockClient(AppConfigDataClient);
const secretsManager = mockClient(SecretsManagerClient);

const CONFIG_A = { content: new TextEncoder().encode('{"featureX":true}'), contentType: 'application/json' };
const CONFIG_B = { content: new TextEncoder().encode('{"featureX":false}'), contentType: 'application/json' };

let logs: LogEntry[];
function handlerUnderTest() {
  const clients = { appConfig: new AppConfigClient({ region: 'eu-west-1' }), appConfigData: new AppConfigDataClient({ region: 'eu-west-1' }), secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }) };
  return createHandler({ clients, log: (entry) => logs.push(entry) });
}
/** The SDK's blob payload type: bytes plus transformToString(). */
function blob(text: string) {
  return Object.assign(new TextEncoder().encode(text), { transformToString: () => text });
}
function awsError(name: string, message: string, httpStatusCode: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode, attempts: 5 } });
}
/** An in-memory secret behind the Secrets Manager mock: GetSecretValue returns AWSCURRENT, PutSecretValue behaves like the service for tokens. */
function fakeSecret() {
  const versions = new Map<string, string>();
  let current: string | undefined;
  secretsManager.on(GetSecretValueCommand).callsFake(() => {
    if (current === undefined) throw new ResourceNotFoundException({ message: "can't find the specified secret value for staging label: AWSCURRENT", $metadata: {} });
    return { SecretString: versions.get(current), VersionId: current };
  });
  secretsManager.on(PutSecretValueCommand).callsFake((input: { ClientRequestToken: string; SecretString: string }) => {
    const existing = versions.get(input.ClientRequestToken);
    if (existing !== undefined && existing !== input.SecretString) throw awsError('ResourceExistsException', 'version exists', 400);
    if (existing === undefined) {
      versions.set(input.ClientRequestToken, input.SecretString);
      current = input.ClientRequestToken;
    }
    return { VersionId: input.ClientRequestToken };
  });
  return { current: () => (current === undefined ? undefined : JSON.parse(versions.get(current)!)[HASH_KEY]) };
}
function hostedProfile(versions: Record<number, typeof CONFIG_A>) {
  appConfig.on(GetConfigurationProfileCommand).resolves({ LocationUri: 'hosted', Type: 'AWS.Freeform' });
  appConfig.on(GetHostedConfigurationVersionCommand).callsFake((input: { VersionNumber: number }) => {
    const version = versions[input.VersionNumber];
    if (!version) throw awsError('ResourceNotFoundException', `no version ${input.VersionNumber}`, 404);
    return { Content: version.content, ContentType: version.contentType, VersionNumber: input.VersionNumber };
  });
}

beforeEach(() => {
  logs = [];
  appConfig.reset();
  appConfigData.reset();
  secretsManager.reset();
});
afterEach(() => {
  // Every line is one JSON-serialisable object with a level and a message.
  for (const entry of logs) expect(JSON.parse(JSON.stringify(entry))).toMatchObject({ level: expect.any(String), message: expect.any(String) });
});

describe('appconfig-sync handler', () => {
  it('writes the hash of the exact hosted version of a complete deployment', async () => {
    // GIVEN a hosted profile with version 3 and a secret that has no value yet
    hostedProfile({ 3: CONFIG_A });
    const secret = fakeSecret();
    // WHEN deployment 7 of version "3" completes
    const outcome = await handlerUnderTest()(invocationPayload(deploymentEvent({ deploymentNumber: 7, version: '3' })), { awsRequestId: 'req-1' });
    // THEN version 3 is read as an integer and its hash written with the deployment's token
    expect(appConfig.commandCalls(GetHostedConfigurationVersionCommand)[0]!.args[0].input).toEqual({ ApplicationId: APP, ConfigurationProfileId: PROFILE, VersionNumber: 3 });
    const token = clientRequestTokenFor({ applicationId: APP, environmentId: ENV, configurationProfileId: PROFILE, deploymentNumber: 7, eventType: 'OnDeploymentComplete' });
    expect(secretsManager.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({
      SecretId: SECRET,
      SecretString: JSON.stringify({ 'appconfig-version-hash': configurationHash(CONFIG_A) }),
      ClientRequestToken: token,
    });
    expect(outcome).toMatchObject({ status: 'written', hash: configurationHash(CONFIG_A), clientRequestToken: token });
    expect(secret.current()).toBe(configurationHash(CONFIG_A));
    // AND the log lines carry the deployment identity, never the content
    const written = logs.find((l) => l.message === 'wrote configuration hash')!;
    expect(written).toMatchObject({ level: 'info', requestId: 'req-1', applicationId: APP, environmentId: ENV, configurationProfileId: PROFILE, deploymentNumber: 7, eventType: 'OnDeploymentComplete', secretId: SECRET });
    expect(JSON.stringify(logs)).not.toContain('featureX');
  });

  it('on rollback writes the last COMPLETE deployment of the profile, not the failed version', async () => {
    // GIVEN deployment 5 (version 4) rolled back; 4 is another profile; 3 deployed version 2 of this profile
    hostedProfile({ 2: CONFIG_A, 4: CONFIG_B });
    fakeSecret();
    appConfig
      .on(ListDeploymentsCommand)
      .resolvesOnce({
        Items: [
          { DeploymentNumber: 5, State: 'ROLLED_BACK', ConfigurationVersion: '4', ConfigurationProfileId: PROFILE },
          { DeploymentNumber: 4, State: 'COMPLETE', ConfigurationVersion: '9', ConfigurationProfileId: 'other01' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({ Items: [{ DeploymentNumber: 3, State: 'COMPLETE', ConfigurationVersion: '2' }] });
    appConfig.on(GetDeploymentCommand, { DeploymentNumber: 3 }).resolves({ DeploymentNumber: 3, State: 'COMPLETE', ConfigurationProfileId: PROFILE, ConfigurationVersion: '2' });
    // WHEN the rollback event arrives
    const outcome = await handlerUnderTest()(invocationPayload(deploymentEvent({ type: 'OnDeploymentRolledBack', deploymentNumber: 5, version: '4' })));
    // THEN version 2 (from deployment 3) is hashed, version 4 is never read
    expect(appConfig.commandCalls(ListDeploymentsCommand)[1]!.args[0].input).toMatchObject({ ApplicationId: APP, EnvironmentId: ENV, NextToken: 'page-2' });
    expect(appConfig.commandCalls(GetHostedConfigurationVersionCommand).map((c) => c.args[0].input.VersionNumber)).toEqual([2]);
    // AND the value is the rollback hash of version 2, so pods started during the failed deployment restart too
    expect(outcome).toMatchObject({
      status: 'written',
      contentHash: configurationHash(CONFIG_A),
      hash: rollbackHash(configurationHash(CONFIG_A), 5),
      origin: { api: 'GetHostedConfigurationVersion', versionNumber: 2, fromDeploymentNumber: 3 },
    });
    expect((outcome as { clientRequestToken: string }).clientRequestToken).toBe(
      clientRequestTokenFor({ applicationId: APP, environmentId: ENV, configurationProfileId: PROFILE, deploymentNumber: 5, eventType: 'OnDeploymentRolledBack' }),
    );
  });

  it('on rollback restarts even when the restored version is the one already written, unless the binding opted out', async () => {
    // GIVEN deployment 1 (version 1) completed and was written; deployment 2 (version 2) is rolled back
    hostedProfile({ 1: CONFIG_A, 2: CONFIG_B });
    const secret = fakeSecret();
    appConfig.on(ListDeploymentsCommand).resolves({
      Items: [
        { DeploymentNumber: 2, State: 'ROLLED_BACK', ConfigurationVersion: '2', ConfigurationProfileId: PROFILE },
        { DeploymentNumber: 1, State: 'COMPLETE', ConfigurationVersion: '1', ConfigurationProfileId: PROFILE },
      ],
    });
    const handler = handlerUnderTest();
    await handler(invocationPayload(deploymentEvent({ deploymentNumber: 1, version: '1' })));
    const rollback = deploymentEvent({ type: 'OnDeploymentRolledBack', deploymentNumber: 2, version: '2' });
    // WHEN a binding that opted out sees the rollback
    const optedOut = await handler({ ...(invocationPayload(rollback) as object), restartOnRollback: false });
    // THEN nothing changes, because the restored content is what the secret holds
    expect(optedOut).toMatchObject({ status: 'unchanged', hash: configurationHash(CONFIG_A) });
    // WHEN the default binding sees it
    const restarted = await handler(invocationPayload(rollback));
    // THEN a new value is written, and a retry of the same event writes nothing more
    expect(restarted).toMatchObject({ status: 'written', hash: rollbackHash(configurationHash(CONFIG_A), 2), contentHash: configurationHash(CONFIG_A) });
    expect(secret.current()).toBe(rollbackHash(configurationHash(CONFIG_A), 2));
    expect(await handler(invocationPayload(rollback))).toMatchObject({ status: 'unchanged' });
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(2);
  });

  it('on rollback with no earlier COMPLETE deployment writes nothing', async () => {
    hostedProfile({});
    fakeSecret();
    appConfig.on(ListDeploymentsCommand).resolves({ Items: [{ DeploymentNumber: 1, State: 'ROLLED_BACK', ConfigurationVersion: '1', ConfigurationProfileId: PROFILE }] });
    const outcome = await handlerUnderTest()(invocationPayload(deploymentEvent({ type: 'OnDeploymentRolledBack', deploymentNumber: 1 })));
    expect(outcome).toMatchObject({ status: 'ignored', reason: expect.stringContaining('no COMPLETE deployment') });
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('writes A again after a revert A → B → A, with a new token', async () => {
    // GIVEN versions 1 (A) and 2 (B)
    hostedProfile({ 1: CONFIG_A, 2: CONFIG_B });
    const secret = fakeSecret();
    const handler = handlerUnderTest();
    // WHEN deployments 1 (A), 2 (B) and 3 (A again) complete
    const first = await handler(invocationPayload(deploymentEvent({ deploymentNumber: 1, version: '1' })));
    const second = await handler(invocationPayload(deploymentEvent({ deploymentNumber: 2, version: '2' })));
    const third = await handler(invocationPayload(deploymentEvent({ deploymentNumber: 3, version: '1' })));
    // THEN all three write, the third with a token of its own, and AWSCURRENT is A again
    expect([first.status, second.status, third.status]).toEqual(['written', 'written', 'written']);
    const tokens = secretsManager.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(new Set(tokens).size).toBe(3);
    expect(secret.current()).toBe(configurationHash(CONFIG_A));
  });

  it('writes nothing when the secret already holds the hash', async () => {
    hostedProfile({ 4: CONFIG_A });
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ [HASH_KEY]: configurationHash(CONFIG_A) }) });
    const outcome = await handlerUnderTest()(invocationPayload(deploymentEvent({ deploymentNumber: 8, version: '4' })));
    expect(outcome).toMatchObject({ status: 'unchanged', hash: configurationHash(CONFIG_A) });
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(logs.at(-1)).toMatchObject({ level: 'info', message: 'hash unchanged; nothing written', deploymentNumber: 8 });
  });

  it('reads non-hosted profiles through a fresh data-plane session', async () => {
    appConfig.on(GetConfigurationProfileCommand).resolves({ LocationUri: 's3://config-bucket/web.yaml', Type: 'AWS.Freeform' });
    appConfigData.on(StartConfigurationSessionCommand).resolves({ InitialConfigurationToken: 'token-1' });
    appConfigData.on(GetLatestConfigurationCommand).resolves({ Configuration: blob('a: 1\n'), ContentType: 'application/x-yaml', VersionLabel: 'v7' });
    fakeSecret();
    const outcome = await handlerUnderTest()(invocationPayload(deploymentEvent({ deploymentNumber: 2, version: '3Lk2d9aQ' })));
    expect(appConfigData.commandCalls(StartConfigurationSessionCommand)[0]!.args[0].input).toEqual({ ApplicationIdentifier: APP, EnvironmentIdentifier: ENV, ConfigurationProfileIdentifier: PROFILE });
    expect(appConfigData.commandCalls(GetLatestConfigurationCommand)[0]!.args[0].input).toEqual({ ConfigurationToken: 'token-1' });
    expect(appConfig.commandCalls(GetHostedConfigurationVersionCommand)).toHaveLength(0);
    expect(outcome).toMatchObject({
      status: 'written',
      hash: configurationHash({ content: new TextEncoder().encode('a: 1\n'), contentType: 'application/x-yaml' }),
      origin: { api: 'GetLatestConfiguration', locationUri: 's3://config-bucket/web.yaml', versionLabel: 'v7' },
    });
  });

  it('ignores deployment start events without calling AWS', async () => {
    const outcome = await handlerUnderTest()(invocationPayload(deploymentEvent({ type: 'OnDeploymentStart', detailType: 'On Deployment Start' })));
    expect(outcome).toMatchObject({ status: 'ignored' });
    expect(appConfig.calls()).toHaveLength(0);
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it.each([
    ['flat IDs instead of nested objects', { ...deploymentEvent(), detail: { ...(deploymentEvent().detail as object), Application: undefined, ApplicationId: APP } }, /event\.detail\.Application\.Id must be an AppConfig ID/],
    ['a string DeploymentNumber', { ...deploymentEvent(), detail: { ...(deploymentEvent().detail as object), DeploymentNumber: '7' } }, /DeploymentNumber must be a positive integer \(a JSON number\), got "7"/],
    ['a numeric ConfigurationVersion', { ...deploymentEvent(), detail: { ...(deploymentEvent().detail as object), ConfigurationVersion: 3 } }, /ConfigurationVersion must be a non-empty string/],
    ['another source', { ...deploymentEvent(), source: 'aws.ec2' }, /event\.source must be "aws\.appconfig", got "aws\.ec2"/],
  ])('rejects an event with %s, logs why and writes nothing', async (_name, event, reason) => {
    const outcome = await handlerUnderTest()(invocationPayload(event));
    expect(outcome).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason) });
    expect(logs).toEqual([expect.objectContaining({ level: 'error', message: 'rejected malformed event; nothing written', reason: expect.stringMatching(reason), secretId: SECRET })]);
    expect(appConfig.calls()).toHaveLength(0);
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('rejects the raw event of a rule target wired without targetInputFor()', async () => {
    const outcome = await handlerUnderTest()(deploymentEvent());
    expect(outcome).toMatchObject({ status: 'rejected', reason: expect.stringContaining('render its input with targetInputFor()') });
    expect((outcome as { reason: string }).reason).toContain('secretId must be a non-empty string');
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('rejects a hosted deployment whose version is not a number, without writing', async () => {
    hostedProfile({});
    fakeSecret();
    const outcome = await handlerUnderTest()(invocationPayload(deploymentEvent({ version: 'v1.2' })));
    expect(outcome).toMatchObject({ status: 'rejected', reason: expect.stringContaining('"v1.2" of deployment 1 is not a hosted version number') });
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('rethrows throttling that outlasted the SDK retries, and the retried event then writes with the same token', async () => {
    // GIVEN PutSecretValue throttled (aws-sdk-client-mock replaces send(), so this is the error after the SDK's own
    // retries; the real retry loop is exercised over HTTP in handler.sdk.test.ts and the bundle test)
    hostedProfile({ 1: CONFIG_A });
    fakeSecret();
    secretsManager.on(PutSecretValueCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded', 400)).callsFake((input) => ({ VersionId: input.ClientRequestToken }));
    const handler = handlerUnderTest();
    const payload = invocationPayload(deploymentEvent());
    // WHEN the first invocation fails and Lambda retries the same event
    await expect(handler(payload)).rejects.toMatchObject({ name: 'ThrottlingException' });
    const retried = await handler(payload);
    // THEN the error was logged and rethrown, and the retry wrote with the identical idempotency token
    expect(logs.find((l) => l.level === 'error')).toMatchObject({ message: 'AWS call failed; rethrowing for Lambda retry', errorName: 'ThrottlingException', deploymentNumber: 1 });
    const tokens = secretsManager.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1]);
    expect(retried).toMatchObject({ status: 'written', clientRequestToken: tokens[0] });
  });

  it('fails if AppConfig denies access: throws so Lambda retries and the DLQ apply, writes nothing', async () => {
    appConfig.on(GetConfigurationProfileCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: appconfig:GetConfigurationProfile', 403));
    await expect(handlerUnderTest()(invocationPayload(deploymentEvent()))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(secretsManager.calls()).toHaveLength(0);
    expect(logs.at(-1)).toMatchObject({ level: 'error', errorName: 'AccessDeniedException', httpStatusCode: 403, applicationId: APP });
  });

  it('fails if Secrets Manager denies the write', async () => {
    hostedProfile({ 1: CONFIG_A });
    secretsManager.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'no AWSCURRENT', $metadata: {} }));
    secretsManager.on(PutSecretValueCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: secretsmanager:PutSecretValue', 400));
    await expect(handlerUnderTest()(invocationPayload(deploymentEvent()))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
