import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicKeyOf, signatureImage, verifiesPayload } from './signature';
import { loadSigningKey } from './signing-key';

const pem = (curve: string) => generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('loadSigningKey', () => {
  it('reads a P-256 key from an environment variable or a file relative to the repository', () => {
    const key = pem('prime256v1');
    expect(loadSigningKey({ env: 'K' }, '/repo', { K: key }, 'prod').asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-key-'));
    try {
      writeFileSync(path.join(dir, 'cosign.key'), key);
      expect(loadSigningKey({ file: 'cosign.key' }, dir, {}, 'prod').type).toBe('private');
      expect(() => loadSigningKey({ file: 'missing.key' }, dir, {}, 'prod')).toThrow(/^cluster prod: cannot read key file .*missing\.key \(delivery\.signingKey\.file\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses other curves and non-keys, saying what Flux needs', () => {
    expect(() => loadSigningKey({ env: 'K' }, '/repo', { K: pem('secp384r1') }, 'prod')).toThrow(
      'cluster prod: environment variable K holds a ec key on secp384r1; cosign verification in Flux needs ECDSA P-256 (prime256v1)',
    );
    expect(() => loadSigningKey({ env: 'K' }, '/repo', { K: 'not a key' }, 'prod')).toThrow(/environment variable K is not a PEM private key .*openssl ecparam -name prime256v1/);
  });
});

describe('signatureImage', () => {
  it('signs the payload so that only the same digest and key verify', () => {
    const key = loadSigningKey({ env: 'K' }, '/repo', { K: pem('prime256v1') }, 'prod');
    const digest = `sha256:${'a'.repeat(64)}`;
    const image = signatureImage(key, '127.0.0.1:5000/flotilla/prod', digest);
    expect(verifiesPayload(publicKeyOf(key), image.payload.data, image.signature, digest)).toBe(true);
    expect(verifiesPayload(publicKeyOf(key), image.payload.data, image.signature, `sha256:${'b'.repeat(64)}`)).toBe(false);
    const other = loadSigningKey({ env: 'K' }, '/repo', { K: pem('prime256v1') }, 'prod');
    expect(verifiesPayload(publicKeyOf(other), image.payload.data, image.signature, digest)).toBe(false);
  });
});
