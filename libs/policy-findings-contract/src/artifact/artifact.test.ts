import { describe, expect, it } from 'vitest';
import { readArtifact, readSignedArtifacts, validateArtifact } from './artifact';

describe('readArtifact', () => {
  it('returns the committed metadata of the Lambda zip', () => {
    const artifact = readArtifact();
    expect(artifact.runtime).toBe('nodejs24.x');
    expect(artifact.handler).toBe('index.handler');
    expect(artifact.path).toBe(`dist/apps/policy-findings/${artifact.fileName}`);
    expect(Buffer.from(artifact.sha256, 'base64').toString('hex')).toBe(artifact.sha256Hex);
    expect(artifact.size).toBeLessThanOrEqual(artifact.sizeBudget);
  });

  it('fails if the file was edited into a wrong shape, naming the fields', () => {
    expect(() => validateArtifact({ ...readArtifact(), runtime: 'nodejs20.x', sha256: 'abc' })).toThrow(
      'artifact.json: invalid field(s) sha256, runtime; regenerate it with `nx run policy-findings:bundle`',
    );
  });
});

describe('readSignedArtifacts', () => {
  it('records signed copies of the committed build; in the example fleet labelled as placeholders', () => {
    const signed = readSignedArtifacts();
    expect(signed.fileName).toBe(readArtifact().fileName);
    // Placeholder accounts: nothing was signed, so the record says so (README "Supply chain").
    expect(signed.example).toBe(true);
    expect(Object.keys(signed.clusters)).toEqual(['dev', 'staging', 'prod']);
  });
});
