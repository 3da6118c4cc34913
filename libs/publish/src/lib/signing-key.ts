import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SigningKeyReference } from '@flotilla/config';
import { PublishError } from './publish-error';

/**
 * Loads the PEM ECDSA P-256 private key a cluster's `delivery.signingKey` names: an environment
 * variable holding the PEM (CI secrets) or a file (relative paths from the repository root).
 */
export function loadSigningKey(reference: SigningKeyReference, repoRoot: string, env: NodeJS.ProcessEnv, cluster: string): KeyObject {
  let pem: string | undefined;
  let where: string;
  if ('env' in reference) {
    where = `environment variable ${reference.env}`;
    pem = env[reference.env];
    if (!pem) throw new PublishError(cluster, `${where} is not set; it must hold the PEM private key that signs the artifact (delivery.signingKey), e.g. from a CI secret`);
  } else {
    const file = path.resolve(repoRoot, reference.file);
    where = `key file ${file}`;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new PublishError(cluster, `cannot read ${where} (delivery.signingKey.file): ${(error as Error).message}`);
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new PublishError(cluster, `${where} is not a PEM private key (${(error as Error).message}); create one with 'openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt'`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new PublishError(cluster, `${where} holds a ${key.asymmetricKeyType} key${key.asymmetricKeyDetails?.namedCurve ? ` on ${key.asymmetricKeyDetails.namedCurve}` : ''}; cosign verification in Flux needs ECDSA P-256 (prime256v1)`);
  }
  return key;
}
