/** The one key the Lambda writes; External Secrets maps it into the workload's Secret (`remoteRef.property`). */
export const HASH_KEY = 'appconfig-version-hash';

/** The exact SecretString written for a hash: `{"appconfig-version-hash":"sha256:…"}`. */
export function secretStringFor(hash: string): string {
  return JSON.stringify({ [HASH_KEY]: hash });
}
