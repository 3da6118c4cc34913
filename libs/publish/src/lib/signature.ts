import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { blob, descriptor, emptyImageConfig, type Blob } from './blob';
import { COSIGN_SIGNATURE_ANNOTATION, COSIGN_SIMPLE_SIGNING, OCI_CONFIG, OCI_MANIFEST, ZERO_TIME } from './media-types';

/** The tag cosign stores an image's signatures under: `sha256-<hex>.sig`. */
export function signatureTag(manifestDigest: string): string {
  return `${manifestDigest.replace(':', '-')}.sig`;
}

/**
 * cosign's simple-signing payload: the repository (`docker-reference`, without tag) and the signed
 * manifest digest. Key order and `"optional":null` match cosign's output byte for byte.
 */
export function simpleSigningPayload(repository: string, manifestDigest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': repository }, image: { 'docker-manifest-digest': manifestDigest }, type: 'cosign container image signature' },
      optional: null,
    }),
  );
}

/** The signature image `cosign sign --key` pushes: OCI manifest, empty-image config, one payload layer carrying the base64 DER signature. */
export interface SignatureImage {
  readonly config: Blob;
  readonly payload: Blob;
  readonly manifest: Blob;
  readonly signature: string;
}

/** Signs the payload with ECDSA P-256 / SHA-256 (ASN.1 DER, base64), as cosign does for a PEM key. */
export function signatureImage(privateKey: KeyObject, repository: string, manifestDigest: string): SignatureImage {
  const payload = blob(COSIGN_SIMPLE_SIGNING, simpleSigningPayload(repository, manifestDigest));
  const signature = sign('sha256', payload.data, { key: privateKey, dsaEncoding: 'der' }).toString('base64');
  // The payload layer is uncompressed, so its diff id is its digest.
  const config = blob(OCI_CONFIG, emptyImageConfig(ZERO_TIME, payload.digest));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: descriptor(config),
      layers: [descriptor(payload, { [COSIGN_SIGNATURE_ANNOTATION]: signature })],
    }),
  );
  return { config, payload, manifest: blob(OCI_MANIFEST, manifest), signature };
}

/** Whether a simple-signing payload names `manifestDigest` and `signature` verifies it with `publicKey`. */
export function verifiesPayload(publicKey: KeyObject, payload: Buffer, signature: string, manifestDigest: string): boolean {
  let parsed: { critical?: { image?: { 'docker-manifest-digest'?: string } } };
  try {
    parsed = JSON.parse(payload.toString('utf8')) as typeof parsed;
  } catch {
    return false;
  }
  if (parsed.critical?.image?.['docker-manifest-digest'] !== manifestDigest) return false;
  return verify('sha256', payload, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}
