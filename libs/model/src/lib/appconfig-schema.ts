import { createHash } from 'node:crypto';

/**
 * The JSON Schema validator of an AppConfig configuration profile travels Git → Secrets Manager → External Secrets
 * → a Kubernetes Secret Crossplane reads (`validator[].contentSecretRef`, the only source the provider accepts).
 * The Secrets Manager name is content-addressed, like the Lambda zips: a changed schema is a new secret, which CI
 * creates before the commit that references it merges (`flotilla ci-settings appconfig-schemas`).
 */

/** Prefix of every schema secret; the CI role may create secrets under it only. */
export const APPCONFIG_SCHEMA_PREFIX = 'flotilla/appconfig/';
/** The key of the schema in the Kubernetes Secret (and the validator's `contentSecretRef.key`). */
export const APPCONFIG_SCHEMA_KEY = 'schema.json';
/**
 * Annotation of the schema's ExternalSecret carrying the canonical schema (a schema is not secret; only the CRD makes
 * it a Secret). `flotilla validate` recomputes the name from it, and CI publishes exactly this text.
 */
export const APPCONFIG_SCHEMA_ANNOTATION = 'flotilla.dev/appconfig-schema';
/** Tag (and value) the schema secrets carry, so the platform ClusterSecretStore's ABAC session (tenant=platform) reads them. */
export const APPCONFIG_SCHEMA_TENANT = 'platform';

/** Compact JSON with sorted keys: the bytes that are hashed, stored and published. */
export function canonicalSchemaJson(schema: unknown): string {
  return JSON.stringify(schema, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const record = item as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
  });
}

/** `flotilla/appconfig/<application>/<profile>/schema-<first 16 hex of the SHA-256 of the canonical JSON>`. */
export function appconfigSchemaSecretName(application: string, profile: string, canonicalJson: string): string {
  return `${APPCONFIG_SCHEMA_PREFIX}${application}/${profile}/schema-${createHash('sha256').update(canonicalJson).digest('hex').slice(0, 16)}`;
}
