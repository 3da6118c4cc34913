import { describe, expect, it } from 'vitest';
import type { RenderedObject } from '@flotilla/model';
import { checkLambdaArtifacts, type LambdaArtifactRecord } from './lambda-artifacts';

const SIGNED_DEV = { sha256: 'Cg'.padEnd(43, 'A') + '=', sha256Hex: Buffer.from('Cg'.padEnd(43, 'A') + '=', 'base64').toString('hex'), size: 10 };
const records: LambdaArtifactRecord[] = [
  {
    app: 'sync',
    file: 'libs/sync-contract/artifact.json',
    signedFile: 'libs/sync-contract/artifact.signed.json',
    artifact: { fileName: 'sync-00000000000000aa.zip', sha256: 'A'.repeat(43) + '=' },
    signed: { fileName: 'sync-00000000000000aa.zip', clusters: { dev: SIGNED_DEV } },
  },
  { app: 'sync-two', file: 'libs/two/artifact.json', signedFile: 'libs/two/artifact.signed.json', artifact: { fileName: 'sync-two-00000000000000bb.zip', sha256: 'B'.repeat(43) + '=' } },
];
const fn = (code: Record<string, unknown>, apiVersion = 'lambda.services.k8s.aws/v1alpha1', cluster = 'dev'): RenderedObject => ({
  file: `clusters/${cluster}/infra-configs/x/Function.yaml`,
  index: 0,
  cluster,
  object: { apiVersion, kind: 'Function', metadata: { name: 'x', namespace: 'ack-system' }, spec: { name: 'x', code, codeSigningConfigRef: { from: { name: 'flotilla-lambda' } } } },
});
const csc = (action: string, cluster = 'dev'): RenderedObject => ({
  file: `clusters/${cluster}/infra-configs/signing/CodeSigningConfig.yaml`,
  index: 0,
  cluster,
  object: { apiVersion: 'lambda.services.k8s.aws/v1alpha1', kind: 'CodeSigningConfig', metadata: { name: 'flotilla-lambda', namespace: 'ack-system' }, spec: { codeSigningPolicies: { untrustedArtifactOnDeployment: action } } },
});

describe('checkLambdaArtifacts', () => {
  it('passes the committed key under a prefix, with or without sha256, and tells apps with a common prefix apart', () => {
    expect(checkLambdaArtifacts([fn({ s3Key: 'lambda/sync-00000000000000aa.zip', sha256: 'A'.repeat(43) + '=' }), fn({ s3Key: 'sync-two-00000000000000bb.zip' })], records)).toEqual([]);
  });

  it('fails a stale key of a known app with the bundle command as fix', () => {
    const [finding] = checkLambdaArtifacts([fn({ s3Key: 'sync-two-00000000000000cc.zip' })], records);
    expect(finding).toMatchObject({ code: 'lambda/stale-artifact', path: 'spec.code.s3Key', object: 'Function ack-system/x', cluster: 'dev', fix: expect.stringMatching(/^run 'nx run sync-two:bundle'/) });
  });

  it('ignores image functions, other kinds and repositories without records', () => {
    expect(checkLambdaArtifacts([fn({ imageURI: 'x' }), fn({ s3Key: 'other.zip' }, 'example.com/v1')], records)).toEqual([]);
    expect(checkLambdaArtifacts([fn({ s3Key: 'other.zip' })], [])).toEqual([]);
  });

  it("passes the cluster's signed copy with its digest under Enforce", () => {
    expect(checkLambdaArtifacts([csc('Enforce'), fn({ s3Key: 'lambda/signed/sync-00000000000000aa.zip', sha256: SIGNED_DEV.sha256 })], records)).toEqual([]);
  });

  it('fails the signed key with the unsigned digest: ACK compares sha256 with the deployed CodeSha256', () => {
    const [finding] = checkLambdaArtifacts([fn({ s3Key: 'signed/sync-00000000000000aa.zip', sha256: 'A'.repeat(43) + '=' })], records);
    expect(finding).toMatchObject({ code: 'lambda/stale-artifact', path: 'spec.code.sha256', fix: "run 'npm run synth' and commit clusters/" });
  });

  it('fails a signed key of a cluster, or a build, the signed record does not cover, naming the workflow', () => {
    const findings = checkLambdaArtifacts([fn({ s3Key: 'signed/sync-00000000000000aa.zip' }, undefined, 'prod'), fn({ s3Key: 'signed/sync-two-00000000000000bb.zip' })], records);
    expect(findings.map((f) => [f.cluster, f.code])).toEqual([
      ['prod', 'lambda/missing-signed-package'],
      ['dev', 'lambda/missing-signed-package'],
    ]);
    expect(findings[0]!.message).toContain('libs/sync-contract/artifact.signed.json records no signed package of that build for cluster prod');
    expect(findings[1]!.fix).toMatch(/^run the artifacts workflow \(\.github\/workflows\/artifacts\.yml\) on the pull request that changed libs\/two\/artifact\.json/);
  });

  it('fails the unsigned zip where the CodeSigningConfig enforces signatures, and only there', () => {
    const objects = [csc('Enforce'), csc('Warn', 'staging'), fn({ s3Key: 'sync-two-00000000000000bb.zip' }), fn({ s3Key: 'sync-two-00000000000000bb.zip' }, undefined, 'staging'), fn({ s3Key: 'sync-00000000000000aa.zip' })];
    const findings = checkLambdaArtifacts(objects, records);
    expect(findings.map((f) => [f.cluster, f.code, f.path])).toEqual([
      ['dev', 'lambda/unsigned-package', 'spec.code.s3Key'],
      ['dev', 'lambda/unsigned-package', 'spec.code.s3Key'],
    ]);
    // sync-two has no signed record: the app, the missing record and the workflow are named.
    expect(findings[0]!.message).toBe(
      "s3Key 'sync-two-00000000000000bb.zip' is the unsigned zip of sync-two, which CodeSigningConfig ack-system/flotilla-lambda (Enforce) makes Lambda reject, and libs/two/artifact.signed.json records no signed package of sync-two-00000000000000bb.zip for cluster dev",
    );
    expect(findings[0]!.fix).toContain('run the artifacts workflow (.github/workflows/artifacts.yml)');
    // sync has one for dev: only synth is behind.
    expect(findings[1]!.fix).toBe("run 'npm run synth' and commit clusters/");
  });

  it('does not take a signed record of an older build for the current one', () => {
    const stale = [{ ...records[0]!, signed: { fileName: 'sync-00000000000000ff.zip', clusters: { dev: SIGNED_DEV } } }];
    expect(checkLambdaArtifacts([csc('Enforce'), fn({ s3Key: 'signed/sync-00000000000000aa.zip', sha256: SIGNED_DEV.sha256 })], stale)).toMatchObject([{ code: 'lambda/missing-signed-package' }]);
  });
});
