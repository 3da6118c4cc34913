import { createHash } from 'node:crypto';
import type { DeploymentIdentity } from '@flotilla/appconfig-contract';

/** Random namespace for flotilla appconfig-sync tokens (RFC 9562 name-based UUIDs need one). */
const TOKEN_NAMESPACE = '6f1d3c52-8a4e-4b7f-9c21-3e5a7d0b9f14';

/**
 * `ClientRequestToken` for PutSecretValue: a version-5 UUID (36 characters, within Secrets Manager's 32-64) of
 * `applicationId/environmentId/configurationProfileId/deploymentNumber/eventType`.
 *
 * Derived from the deployment, not from the content: a retried event reuses its token (Secrets Manager then does
 * nothing), while a revert A → B → A is a new deployment, gets a new token and makes A current again. A token equal to
 * hash(content) would hit the existing version of A and leave AWSCURRENT on B.
 */
export function clientRequestTokenFor(identity: Pick<DeploymentIdentity, 'applicationId' | 'environmentId' | 'configurationProfileId' | 'deploymentNumber' | 'eventType'>): string {
  const name = [identity.applicationId, identity.environmentId, identity.configurationProfileId, String(identity.deploymentNumber), identity.eventType].join('/');
  return uuidV5(name, TOKEN_NAMESPACE);
}

/** RFC 9562 version-5 (SHA-1, name-based) UUID. */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
