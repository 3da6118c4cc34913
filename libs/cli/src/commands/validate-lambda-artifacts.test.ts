import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLambdaArtifactRecords } from '../lib/lambda-artifact-records';
import { captureIo, repoRoot } from '../testing';
import { validateCommand } from './validate';

// `flotilla validate` on a copy of the committed dev render: each ACK Function's s3Key must be the zip its app's
// committed artifact record names, here its signed copy (dev's CodeSigningConfig enforces signatures), with the
// digest the signed record holds for dev (the records are the repository's own, found through the Nx bundle targets).
const scratch = mkdtempSync(join(tmpdir(), 'flotilla-validate-lambda-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const FUNCTION = 'clusters/dev/infra-configs/appconfig-sync-platform/Function.lambda.services.k8s.aws_ack-system_appconfig-sync.yaml';
const committed = JSON.parse(readFileSync(join(repoRoot, 'libs/appconfig-contract/artifact.json'), 'utf8')) as { fileName: string; sha256: string };
const signed = JSON.parse(readFileSync(join(repoRoot, 'libs/appconfig-contract/artifact.signed.json'), 'utf8')) as { fileName: string; clusters: Record<string, { sha256: string }> };

let copies = 0;
function devCopy(edit?: (text: string) => string): string {
  const root = join(scratch, `repo-${copies++}`);
  cpSync(join(repoRoot, 'clusters/dev'), join(root, 'clusters/dev'), { recursive: true });
  if (edit) {
    const file = join(root, FUNCTION);
    const text = readFileSync(file, 'utf8');
    const edited = edit(text);
    expect(edited, 'the rendered Function changed shape; update this test').not.toBe(text);
    writeFileSync(file, edited);
  }
  return root;
}

async function validate(root: string): Promise<{ code: number; errors: { code: string; file?: string; path?: string; message: string; fix?: string }[] }> {
  const io = captureIo({ cwd: repoRoot });
  const code = await validateCommand.run(['--format', 'json', '--report-dir', join(scratch, 'reports'), join(root, 'clusters')], io);
  const report = JSON.parse(io.stdout()) as { findings: { severity: string; code: string; file?: string; path?: string; message: string; fix?: string }[] };
  return { code, errors: report.findings.filter((finding) => finding.severity === 'error') };
}

describe('flotilla validate: Lambda artifacts', () => {
  it('finds the committed records of both Lambda apps through their bundle targets', () => {
    const { records, findings } = readLambdaArtifactRecords(repoRoot);
    expect(findings).toEqual([]);
    expect(records.map((record) => [record.app, record.file])).toEqual([
      ['appconfig-sync', 'libs/appconfig-contract/artifact.json'],
      ['policy-findings', 'libs/policy-findings-contract/artifact.json'],
    ]);
    expect(records[0]!.artifact.fileName).toBe(committed.fileName);
    expect(records[0]!.signedFile).toBe('libs/appconfig-contract/artifact.signed.json');
    expect(records[0]!.signed?.fileName).toBe(committed.fileName);
  });

  it("passes the committed render: every Function names the signed copy of its committed zip, with dev's signed digest", async () => {
    const root = devCopy();
    const fn = readFileSync(join(root, FUNCTION), 'utf8');
    expect(fn).toContain(`s3Key: signed/${committed.fileName}`);
    expect(fn).toContain(`sha256: "${signed.clusters.dev!.sha256}"`);
    const { code, errors } = await validate(root);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
  });

  it("fails the unsigned zip: dev's CodeSigningConfig is Enforce, so Lambda would reject it", async () => {
    const { code, errors } = await validate(devCopy((text) => text.replace(`s3Key: signed/${committed.fileName}`, `s3Key: ${committed.fileName}`).replace(signed.clusters.dev!.sha256, committed.sha256)));
    expect(code).toBe(1);
    expect(errors).toEqual([expect.objectContaining({ code: 'lambda/unsigned-package', path: 'spec.code.s3Key', fix: "run 'npm run synth' and commit clusters/" })]);
    expect(errors[0]!.message).toContain('which CodeSigningConfig ack-system/flotilla-lambda (Enforce) makes Lambda reject');
  });

  it('fails a stale s3Key (an older build), naming the record and the bundle command', async () => {
    const stale = 'appconfig-sync-0123456789abcdef.zip';
    const { code, errors } = await validate(devCopy((text) => text.replace(`s3Key: signed/${committed.fileName}`, `s3Key: signed/${stale}`)));
    expect(code).toBe(1);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'lambda/stale-artifact',
        path: 'spec.code.s3Key',
        message: `s3Key 'signed/${stale}' is not the committed build of appconfig-sync: libs/appconfig-contract/artifact.json records '${committed.fileName}', which is the zip CI uploads`,
        fix: "run 'nx run appconfig-sync:bundle' and 'npm run synth', and commit libs/appconfig-contract/artifact.json with clusters/",
      }),
    ]);
    expect(errors[0]!.file).toMatch(/clusters\/dev\/infra-configs\/appconfig-sync-platform\/Function\.lambda\.services\.k8s\.aws_ack-system_appconfig-sync\.yaml/);
  });

  it('fails a right key whose sha256 is not the signed package of dev', async () => {
    const { code, errors } = await validate(devCopy((text) => text.replace(signed.clusters.dev!.sha256, committed.sha256)));
    expect(code).toBe(1);
    expect(errors.map((error) => [error.code, error.path])).toEqual([['lambda/stale-artifact', 'spec.code.sha256']]);
  });

  it('fails a key that names no zip this repository builds', async () => {
    const { errors } = await validate(devCopy((text) => text.replace(`s3Key: signed/${committed.fileName}`, 's3Key: lambda/hand-made.zip')));
    expect(errors).toEqual([expect.objectContaining({ code: 'lambda/unknown-artifact', path: 'spec.code.s3Key' })]);
    expect(errors[0]!.message).toMatch(/^s3Key 'lambda\/hand-made\.zip' is not a zip this repository builds \(appconfig-sync: appconfig-sync-[0-9a-f]{16}\.zip, policy-findings: policy-findings-[0-9a-f]{16}\.zip\)$/);
  });
});
