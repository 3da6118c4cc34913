import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fleet } from '@flotilla/config';
import { fixtureCluster } from '@flotilla/core/testing';
import type { FleetHost } from '../lib/command';
import { captureIo, repoRoot } from '../testing';
import { ciSettingsCommand } from './ci-settings';
import { signedArtifactsCommand } from './signed-artifacts';

// GIVEN a repository with one Lambda app (its bundle target declares the record) and a fleet of two clusters with
// artifacts buckets, WHEN the artifacts workflow hands over what it downloaded from each cluster's signed/<zip> key,
// THEN artifact.signed.json records each cluster's signed package with Lambda's CodeSha256 of it.
const scratch = mkdtempSync(join(tmpdir(), 'flotilla-signed-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const fleet: Fleet = {
  clusters: [fixtureCluster('dev', [], { artifacts: { bucket: 'artifacts-dev' } }), fixtureCluster('prod', [], { environment: 'prod', artifacts: { bucket: 'artifacts-prod', prefix: 'lambda' } })],
};
const host: FleetHost = { loadFleet: async () => fleet, fleetSource: 'apps/fleet', policiesDir: join(repoRoot, 'policies') };
// Zip-shaped bytes: the command hashes them and checks only a zip's local file header (a signed copy is a zip too).
const UNSIGNED = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('unsigned zip body')]);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest();
const FILE = `sync-${sha(UNSIGNED).toString('hex').slice(0, 16)}.zip`;

let repos = 0;
function repo(signedRecord?: unknown): string {
  const root = join(scratch, `repo-${repos++}`);
  mkdirSync(join(root, 'apps/sync'), { recursive: true });
  mkdirSync(join(root, 'libs/sync-contract'), { recursive: true });
  writeFileSync(join(root, 'apps/sync/project.json'), JSON.stringify({ name: 'sync', targets: { bundle: { outputs: ['{workspaceRoot}/dist/apps/sync', '{workspaceRoot}/libs/sync-contract/artifact.json'] } } }));
  const digest = sha(UNSIGNED);
  const record = { fileName: FILE, sha256: digest.toString('base64'), sha256Hex: digest.toString('hex'), size: UNSIGNED.length, unpackedSize: 10, sizeBudget: 1000, runtime: 'nodejs24.x', handler: 'index.handler', path: `dist/apps/sync/${FILE}` };
  writeFileSync(join(root, 'libs/sync-contract/artifact.json'), JSON.stringify(record));
  if (signedRecord) writeFileSync(join(root, 'libs/sync-contract/artifact.signed.json'), JSON.stringify(signedRecord));
  return root;
}
function download(root: string, files: Record<string, Buffer>): void {
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(root, 'signed-packages', path, '..'), { recursive: true });
    writeFileSync(join(root, 'signed-packages', path), bytes);
  }
}
const signedCopy = (cluster: string) => Buffer.concat([UNSIGNED, Buffer.from(`signature of ${cluster}`)]);
async function record(root: string) {
  const io = captureIo({ cwd: root, host });
  try {
    return { code: await signedArtifactsCommand.run(['signed-packages'], io), out: io.stdout() };
  } catch (error) {
    return { code: -1, out: '', error: (error as Error).message };
  }
}
const readSigned = (root: string) => JSON.parse(readFileSync(join(root, 'libs/sync-contract/artifact.signed.json'), 'utf8')) as { fileName: string; example?: boolean; clusters: Record<string, { sha256: string; sha256Hex: string; size: number }> };

describe('flotilla signed-artifacts', () => {
  it("records each cluster's signed package, replacing the example fleet's placeholder record", async () => {
    const root = repo({ fileName: FILE, example: true, clusters: { staging: { sha256: 'A'.repeat(43) + '=', sha256Hex: '0'.repeat(64), size: 1 } } });
    download(root, { [`prod/${FILE}`]: signedCopy('prod'), [`dev/${FILE}`]: signedCopy('dev') });
    // The example record signs nothing: the plan lists every cluster.
    const plan = captureIo({ cwd: root, host });
    await ciSettingsCommand.run(['artifacts'], plan);
    expect((JSON.parse(plan.stdout().replace(/^matrix=/, '')) as { cluster: string }[]).map((entry) => entry.cluster)).toEqual(['dev', 'prod']);
    const { code, out } = await record(root);
    expect(code).toBe(0);
    expect(out).toBe(`libs/sync-contract/artifact.signed.json: ${FILE} signed for dev, prod\n`);
    const signed = readSigned(root);
    expect(signed.fileName).toBe(FILE);
    expect(signed.example).toBeUndefined();
    expect(Object.keys(signed.clusters)).toEqual(['dev', 'prod']);
    expect(signed.clusters.prod).toEqual({ sha256: sha(signedCopy('prod')).toString('base64'), sha256Hex: sha(signedCopy('prod')).toString('hex'), size: signedCopy('prod').length });
  });

  it('keeps other clusters of the same build, and drops a record of an older build', async () => {
    const root = repo();
    download(root, { [`dev/${FILE}`]: signedCopy('dev') });
    expect((await record(root)).code).toBe(0);
    rmSync(join(root, 'signed-packages'), { recursive: true });
    download(root, { [`prod/${FILE}`]: signedCopy('prod') });
    expect((await record(root)).code).toBe(0);
    expect(Object.keys(readSigned(root).clusters)).toEqual(['dev', 'prod']);
    // Signed for every cluster: the artifacts workflow's plan has nothing left to sign (a re-run never re-signs).
    const io = captureIo({ cwd: root, host });
    expect(await ciSettingsCommand.run(['artifacts'], io)).toBe(0);
    expect(io.stdout()).toBe('matrix=[]\n');

    const older = repo({ fileName: 'sync-00000000000000aa.zip', clusters: { dev: readSigned(root).clusters.dev } });
    download(older, { [`prod/${FILE}`]: signedCopy('prod') });
    expect((await record(older)).code).toBe(0);
    expect(Object.keys(readSigned(older).clusters)).toEqual(['prod']);
  });

  it('writes nothing when a file is the unsigned zip, not a zip, another build or of an unknown cluster', async () => {
    const root = repo();
    download(root, { [`dev/${FILE}`]: UNSIGNED, [`prod/${FILE}`]: Buffer.from('<Error>AccessDenied</Error>'), 'prod/sync-00000000000000aa.zip': signedCopy('prod'), [`qa/${FILE}`]: signedCopy('qa') });
    const result = await record(root);
    expect(result.code).toBe(-1);
    expect(result.error!.split('\n')).toEqual([
      `signed-packages/dev/${FILE}: is the unsigned zip itself (same SHA-256 as libs/sync-contract/artifact.json); download the signing job's output, the signed/<zip> key`,
      `signed-packages/prod/sync-00000000000000aa.zip: 'sync-00000000000000aa.zip' is not the committed build of any Lambda app (${FILE})`,
      `signed-packages/prod/${FILE}: not a zip (Signer's signed copy of a Lambda zip is a zip)`,
      "signed-packages/qa: 'qa' is not a cluster of the fleet with an artifacts bucket (dev, prod)",
    ]);
    expect(existsSync(join(root, 'libs/sync-contract/artifact.signed.json'))).toBe(false);
  });
});
