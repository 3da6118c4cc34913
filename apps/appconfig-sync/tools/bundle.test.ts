// The bundle target: reproducible zip, committed artifact.json current, size budget enforced, and the built bundle
// itself running in a fresh Node 24 process against a local HTTP server through the SDK's endpoint variables.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifact } from '@flotilla/appconfig-contract/artifact';
import { configurationHash } from '../src/lib/hash';
import { secretStringFor } from '../src/lib/secret-writer';
import { APP, deploymentEvent, ENV, invocationPayload, PROFILE, SECRET } from '@flotilla/appconfig-contract/testing';
import { clientRequestTokenFor } from '../src/lib/token';
import { ARTIFACT_JSON, bundle, type BundleResult } from './bundle';
import { FakeAws } from './fake-aws';
import { runBundle } from '@flotilla/lambda-build';
import { readZip } from '@flotilla/lambda-build';

let scratch: string;
let built: BundleResult;
beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'appconfig-sync-bundle-'));
  built = await bundle({ outDir: path.join(scratch, 'out'), writeArtifactJson: false });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('appconfig-sync bundle', () => {
  it('matches the committed artifact.json (run `nx run appconfig-sync:bundle` when this fails)', () => {
    expect(readFileSync(ARTIFACT_JSON, 'utf8')).toBe(built.artifactJsonText);
    expect(readArtifact()).toMatchObject({ fileName: built.artifact.fileName, sha256: built.artifact.sha256, runtime: 'nodejs24.x', handler: 'index.handler' });
  });

  it('is byte-reproducible and named by its content hash', async () => {
    const again = await bundle({ outDir: path.join(scratch, 'again'), writeArtifactJson: false });
    expect(Buffer.compare(again.zip, built.zip)).toBe(0);
    const digest = createHash('sha256').update(readFileSync(built.zipPath)).digest();
    expect(built.artifact.sha256).toBe(digest.toString('base64'));
    expect(built.artifact.fileName).toBe(`appconfig-sync-${digest.toString('hex').slice(0, 16)}.zip`);
    expect(built.artifact.size).toBe(built.zip.length);
  });

  it('packs index.js and the third-party notices, sorted, with fixed timestamps', () => {
    const entries = readZip(built.zip);
    expect(entries.map((e) => e.name)).toEqual(['THIRD_PARTY_NOTICES.txt', 'index.js']);
    expect(Buffer.compare(Buffer.from(entries[1]!.data), readFileSync(built.scriptPath))).toBe(0);
    expect(Buffer.from(entries[0]!.data).toString('utf8')).toMatch(/^@aws-sdk\/client-secrets-manager@\d+\.\d+\.\d+ Apache-2\.0$/m);
    // DOS date of 1980-01-01 00:00 in every local file header
    expect(built.zip.readUInt16LE(10)).toBe(0);
    expect(built.zip.readUInt16LE(12)).toBe((0 << 9) | (1 << 5) | 1);
  });

  it('fails if the zip exceeds the size budget', async () => {
    await expect(bundle({ outDir: path.join(scratch, 'tiny'), writeArtifactJson: false, sizeBudget: 10_000 })).rejects.toThrow(
      /the appconfig-sync Lambda zip is \d+ bytes, over the budget of 10000 bytes/,
    );
  });

  describe('running the zipped bundle in Node 24 against a local server', () => {
    let fake: FakeAws;
    let bundlePath: string;
    beforeAll(async () => {
      fake = new FakeAws();
      await fake.start();
      // Unpack the zip itself (not esbuild's output), as Lambda would.
      const dir = path.join(scratch, 'unpacked');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      for (const entry of readZip(built.zip)) writeFileSync(path.join(dir, entry.name), entry.data);
      bundlePath = path.join(dir, 'index.js');
    });
    afterAll(() => fake.stop());

    it('serialises, retries a 503 and a throttle, and writes the hash', async () => {
      // GIVEN hosted version 5, a secret without a value, and one 503 + one throttle on the way
      fake.profiles.set(`${APP}/${PROFILE}`, { locationUri: 'hosted' });
      fake.hosted.set(`${APP}/${PROFILE}/5`, { content: '{"color":"blue"}', contentType: 'application/json' });
      fake.secrets.set(SECRET, { versions: [] });
      fake.faults.push({ api: 'GetConfigurationProfile', status: 503 }, { api: 'PutSecretValue', status: 400, errorType: 'ThrottlingException' });
      // WHEN the bundle handles deployment 9 in a fresh process
      const run = await runBundle(bundlePath, invocationPayload(deploymentEvent({ deploymentNumber: 9, version: '5' })), fake.sdkEnvironment());
      // THEN it ran on Node 24 and wrote the hash with the deployment's token after retrying both faults
      expect(run.stderr).toBe('');
      expect(run.node).toMatch(/^v24\./);
      const hash = configurationHash({ content: new TextEncoder().encode('{"color":"blue"}'), contentType: 'application/json' });
      const token = clientRequestTokenFor({ applicationId: APP, environmentId: ENV, configurationProfileId: PROFILE, deploymentNumber: 9, eventType: 'OnDeploymentComplete' });
      expect(run.result).toMatchObject({ status: 'written', hash, clientRequestToken: token, versionId: token });
      expect(fake.currentValue(SECRET)).toBe(secretStringFor(hash));
      expect(fake.requests.map((r) => `${r.api} ${r.status} ${String(r.headers['amz-sdk-request'])}`)).toEqual([
        'GetConfigurationProfile 503 attempt=1; max=5',
        'GetConfigurationProfile 200 attempt=2; max=5',
        'GetHostedConfigurationVersion 200 attempt=1; max=5',
        'GetSecretValue 400 attempt=1; max=5',
        'PutSecretValue 400 attempt=1; max=5',
        'PutSecretValue 200 attempt=2; max=5',
      ]);
      // AND it logged one JSON object per line with the deployment identity
      expect(run.logs.at(-1)).toMatchObject({ level: 'info', message: 'wrote configuration hash', requestId: 'local-invoke', deploymentNumber: 9, secretId: SECRET, hash });
    });

    it('fails if access is denied: the error reaches the runtime', async () => {
      fake.requests.length = 0;
      fake.faults.push({ api: 'GetConfigurationProfile', status: 403, errorType: 'AccessDeniedException' });
      const run = await runBundle(bundlePath, invocationPayload(deploymentEvent({ deploymentNumber: 10, version: '5' })), fake.sdkEnvironment());
      expect(run.error).toMatchObject({ name: 'AccessDeniedException' });
      expect(run.exitCode).toBe(1);
      // Not retryable: exactly one attempt, nothing written.
      expect(fake.requests.map((r) => r.api)).toEqual(['GetConfigurationProfile']);
    });
  });
});
