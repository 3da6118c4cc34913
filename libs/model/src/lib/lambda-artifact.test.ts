import { describe, expect, it } from 'vitest';
import { deployedPackage, validateSignedLambdaArtifacts } from './lambda-artifact';

const digest = Buffer.alloc(32, 7);
const entry = { sha256: digest.toString('base64'), sha256Hex: digest.toString('hex'), size: 100 };

describe('signed Lambda artifact records', () => {
  it('accepts a record of signed packages per cluster', () => {
    const record = { fileName: 'sync-0123456789abcdef.zip', clusters: { dev: entry } };
    expect(validateSignedLambdaArtifacts(record, 'sync')).toBe(record);
  });

  it('names every wrong field and the workflow that rewrites the file', () => {
    expect(() => validateSignedLambdaArtifacts({ fileName: 'other-0123456789abcdef.zip', example: 'yes', clusters: { dev: { ...entry, sha256Hex: '00' }, prod: { sha256: 'x', size: 0 } } }, 'sync')).toThrow(
      "artifact.signed.json: invalid field(s) fileName, example, clusters.dev.sha256Hex, clusters.prod.sha256, clusters.prod.size; it is written by 'flotilla signed-artifacts' in the artifacts workflow (.github/workflows/artifacts.yml), re-run that workflow",
    );
  });

  it("deploys the cluster's signed copy of this build, else the zip", () => {
    const artifact = { fileName: 'sync-0123456789abcdef.zip', sha256: 'A'.repeat(43) + '=' };
    const signed = { fileName: artifact.fileName, clusters: { dev: entry } };
    expect(deployedPackage(artifact, signed, 'dev')).toEqual({ objectName: 'signed/sync-0123456789abcdef.zip', sha256: entry.sha256, signed: true });
    expect(deployedPackage(artifact, signed, 'prod')).toEqual({ objectName: 'sync-0123456789abcdef.zip', sha256: artifact.sha256, signed: false });
  });
});
