import { describe, expect, it } from 'vitest';
import type { RenderedObject } from '@flotilla/model';
import { checkLambdaArtifacts, type LambdaArtifactRecord } from './lambda-artifacts';

const records: LambdaArtifactRecord[] = [
  { app: 'sync', file: 'libs/sync-contract/artifact.json', artifact: { fileName: 'sync-00000000000000aa.zip', sha256: 'A'.repeat(43) + '=' } },
  { app: 'sync-two', file: 'libs/two/artifact.json', artifact: { fileName: 'sync-two-00000000000000bb.zip', sha256: 'B'.repeat(43) + '=' } },
];
const fn = (code: Record<string, unknown>, apiVersion = 'lambda.services.k8s.aws/v1alpha1'): RenderedObject => ({
  file: 'clusters/dev/infra-configs/x/Function.yaml',
  index: 0,
  cluster: 'dev',
  object: { apiVersion, kind: 'Function', metadata: { name: 'x', namespace: 'ack-system' }, spec: { name: 'x', code } },
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
});
