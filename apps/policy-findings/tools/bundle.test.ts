// The bundle target: reproducible zip, committed artifact.json current, size budget enforced, and the built bundle
// itself running in a fresh Node 24 process against the local Security Hub/EKS and Kubernetes servers.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifact } from '@flotilla/policy-findings-contract/artifact';
import { CONFIG_ENV } from '@flotilla/policy-findings-contract';
import { allowedRepos, fakeCluster, twoClusterConfig } from '../src/testing';
import { ARTIFACT_JSON, bundle, type BundleResult } from './bundle';
import { FakeAws } from './fake-aws';
import type { FakeKube } from './fake-kube';
import { runBundle } from '@flotilla/lambda-build';
import { readZip } from '@flotilla/lambda-build';

let scratch: string;
let built: BundleResult;
beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'policy-findings-bundle-'));
  built = await bundle({ outDir: path.join(scratch, 'out'), writeArtifactJson: false });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('policy-findings bundle', () => {
  it('matches the committed artifact.json (run `nx run policy-findings:bundle` when this fails)', () => {
    expect(readFileSync(ARTIFACT_JSON, 'utf8')).toBe(built.artifactJsonText);
    expect(readArtifact()).toMatchObject({ fileName: built.artifact.fileName, sha256: built.artifact.sha256, runtime: 'nodejs24.x', handler: 'index.handler' });
  });

  it('is byte-reproducible, named by its content hash, and within its size budget', async () => {
    const again = await bundle({ outDir: path.join(scratch, 'again'), writeArtifactJson: false });
    expect(Buffer.compare(again.zip, built.zip)).toBe(0);
    const digest = createHash('sha256').update(readFileSync(built.zipPath)).digest();
    expect(built.artifact.sha256).toBe(digest.toString('base64'));
    expect(built.artifact.fileName).toBe(`policy-findings-${digest.toString('hex').slice(0, 16)}.zip`);
    expect(built.artifact.size).toBeLessThanOrEqual(built.artifact.sizeBudget);
    const entries = readZip(built.zip);
    expect(entries.map((e) => e.name)).toEqual(['THIRD_PARTY_NOTICES.txt', 'index.js']);
    expect(Buffer.from(entries[0]!.data).toString('utf8')).toMatch(/^@kubernetes\/client-node@2\.0\.1 Apache-2\.0$/m);
  });

  it('fails if the zip exceeds the size budget', async () => {
    await expect(bundle({ outDir: path.join(scratch, 'tiny'), writeArtifactJson: false, sizeBudget: 10_000 })).rejects.toThrow(/the policy-findings Lambda zip is \d+ bytes, over the budget of 10000 bytes/);
  });

  describe('running the zipped bundle in Node 24 against local servers', () => {
    let aws: FakeAws;
    let prod: FakeKube;
    let dev: FakeKube;
    let bundlePath: string;
    beforeAll(async () => {
      aws = new FakeAws();
      prod = fakeCluster('prod-eks');
      dev = fakeCluster('dev');
      await Promise.all([aws.start(), prod.start(), dev.start()]);
      const dir = path.join(scratch, 'unpacked');
      mkdirSync(dir, { recursive: true });
      for (const entry of readZip(built.zip)) writeFileSync(path.join(dir, entry.name), entry.data);
      bundlePath = path.join(dir, 'index.js');
    });
    afterAll(() => Promise.all([aws.stop(), prod.stop(), dev.stop()]));

    it('imports the violations after a throttle, authenticated with the EKS token', async () => {
      prod.constraints.push(allowedRepos([{ name: 'web', namespace: 'team-a' }]));
      dev.constraints.push(allowedRepos([{ name: 'api', namespace: 'team-b' }]));
      aws.faults.push({ api: 'BatchImportFindings', status: 429, errorType: 'ThrottlingException' });
      const env = { ...aws.sdkEnvironment(), [CONFIG_ENV]: JSON.stringify(twoClusterConfig(aws, prod, dev)) };
      const run = await runBundle(bundlePath, { id: 'scheduled-1', source: 'aws.events', 'detail-type': 'Scheduled Event' }, env);
      expect(run.stderr).toBe('');
      expect(run.node).toMatch(/^v24\./);
      expect(run.result).toMatchObject({ failed: [], synced: [{ cluster: 'prod', created: 1 }, { cluster: 'dev', created: 1 }] });
      expect(aws.stored('ACTIVE')).toHaveLength(2);
      expect([...prod.rejectedTokens, ...dev.rejectedTokens]).toEqual([]);
      expect(aws.requests.filter((r) => r.api === 'BatchImportFindings').map((r) => `${r.status} ${String(r.headers['amz-sdk-request'])}`)).toEqual([
        '429 attempt=1; max=5',
        '200 attempt=2; max=5',
        '200 attempt=1; max=5',
      ]);
      expect(run.logs.map((l) => [l.level, l.message, l.cluster, l.requestId])).toEqual([
        ['info', 'synced policy findings', 'prod', 'local-invoke'],
        ['info', 'synced policy findings', 'dev', 'local-invoke'],
      ]);
    });

    it('fails the invocation when a cluster is unreachable, after syncing the others', async () => {
      const config = twoClusterConfig(aws, prod, dev);
      aws.clusters.delete('prod-eks');
      const run = await runBundle(bundlePath, { id: 'scheduled-2' }, { ...aws.sdkEnvironment(), [CONFIG_ENV]: JSON.stringify(config) });
      expect(run.error?.name).toBe('PolicyFindingsSyncError');
      expect(run.exitCode).toBe(1);
      expect(run.logs.map((l) => [l.level, l.message, l.cluster])).toEqual([
        ['error', 'cluster sync failed', 'prod'],
        ['info', 'synced policy findings', 'dev'],
      ]);
      expect(run.logs[0]!.error).toMatch(/No cluster found for name: prod-eks/);
    });
  });
});
