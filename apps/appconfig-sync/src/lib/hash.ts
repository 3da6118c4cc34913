import { createHash } from 'node:crypto';

/** A configuration exactly as AppConfig returned it. */
export interface ConfigurationContent {
  /** The raw bytes; never re-serialised, so key order and whitespace stay part of the identity. */
  readonly content: Uint8Array;
  /** The MIME type AppConfig stores with the version (`application/json`, `application/x-yaml`, …); may be empty. */
  readonly contentType: string;
}

/** Versioned so a future change of the construction cannot collide with old values. */
const HASH_DOMAIN = 'flotilla.appconfig-sync/v1';

/**
 * SHA-256 over the content type and the raw bytes, as `sha256:<64 hex>`.
 *
 * The content type is length-prefixed, so no (type, content) pair can be shifted into another:
 * `sha256(domain NUL len(type) ":" type bytes)`. A changed content type alone is a change worth restarting for.
 */
export function configurationHash(configuration: ConfigurationContent): string {
  const type = Buffer.from(configuration.contentType, 'utf8');
  const digest = createHash('sha256')
    .update(HASH_DOMAIN)
    .update('\0')
    .update(`${type.length}:`)
    .update(type)
    .update(configuration.content)
    .digest('hex');
  return `sha256:${digest}`;
}

/**
 * The value written for a rollback: a hash of the restored configuration's hash and the rolled-back deployment.
 *
 * It differs from the plain {@link configurationHash} on purpose. During the deployment and bake that is being rolled
 * back, AppConfig served the bad version, so pods (re)started in that window run it; a secret that stayed on the
 * restored hash would never restart them. Deterministic per rollback event, so retries stay idempotent.
 */
export function rollbackHash(restoredHash: string, rolledBackDeploymentNumber: number): string {
  const digest = createHash('sha256').update(`${HASH_DOMAIN}/rollback`).update('\0').update(`${rolledBackDeploymentNumber}`).update('\0').update(restoredHash).digest('hex');
  return `sha256:${digest}`;
}
