import { GetSecretValueCommand, PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

import { HASH_KEY, secretStringFor } from '@flotilla/appconfig-contract';

export { HASH_KEY, secretStringFor };

/** The hash currently stored under {@link HASH_KEY}, or undefined when there is none (no value yet, other content). */
export async function currentHash(secretsManager: SecretsManagerClient, secretId: string): Promise<string | undefined> {
  try {
    const current = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }));
    return hashIn(current.SecretString);
  } catch (error) {
    // A secret declared without a value has no AWSCURRENT version yet: that is the normal first run. A secret that
    // does not exist at all fails the same way here, and then loudly in PutSecretValue.
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

export type WriteResult = { readonly written: false } | { readonly written: true; readonly versionId: string | undefined };

/**
 * Compares, then writes. Unchanged content writes nothing (no new version, no restart); otherwise PutSecretValue
 * with the deployment's token moves AWSCURRENT to the new value. Re-sending the same token with the same value is a
 * no-op in Secrets Manager, which makes retries of one event safe.
 */
export async function writeHash(
  secretsManager: SecretsManagerClient,
  request: { readonly secretId: string; readonly hash: string; readonly clientRequestToken: string },
): Promise<WriteResult> {
  if ((await currentHash(secretsManager, request.secretId)) === request.hash) return { written: false };
  const put = await secretsManager.send(
    new PutSecretValueCommand({
      SecretId: request.secretId,
      SecretString: secretStringFor(request.hash),
      ClientRequestToken: request.clientRequestToken,
    }),
  );
  return { written: true, versionId: put.VersionId };
}

function hashIn(secretString: string | undefined): string | undefined {
  if (secretString === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(secretString);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as Record<string, unknown>)[HASH_KEY] === 'string') {
      return (parsed as Record<string, string>)[HASH_KEY];
    }
  } catch {
    // Not JSON (seeded by hand): treat as "no hash", the write replaces it.
  }
  return undefined;
}
