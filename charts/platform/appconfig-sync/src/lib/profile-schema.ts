import Ajv, { type SchemaObject } from 'ajv';
import { appconfigSchemaSecretName, APPCONFIG_SCHEMA_KEY, canonicalSchemaJson } from '@flotilla/model';

/**
 * A profile's JSON Schema, declared in the app as a typed constant (e.g. ajv's `JSONSchemaType<Settings>`).
 * AppConfig's JSON_SCHEMA validator checks every hosted version against it before a deployment can start.
 * Keep to keywords JSON Schema draft-04 shares with draft-07 (type, properties, required, enum, minimum, ...):
 * which draft AppConfig evaluates is not stated by the AppConfig API reference, and ajv compiles draft-07 here.
 */
export type ProfileSchema = SchemaObject;

/** AppConfig's limit on a validator's `Content` (CreateConfigurationProfile `Validator.Content`, 0-32768). */
export const VALIDATOR_CONTENT_LIMIT = 32768;

/** The schema as it is stored and published, and the content-addressed Secrets Manager secret that holds it. */
export interface CompiledProfileSchema {
  readonly canonicalJson: string;
  /** `flotilla/appconfig/<application>/<profile>/schema-<16 hex>`. */
  readonly secretName: string;
  /** Key in the Kubernetes Secret: `schema.json`. */
  readonly key: typeof APPCONFIG_SCHEMA_KEY;
}

const ajv = new Ajv({ strict: true, allErrors: true });

/**
 * Compiles `schema` with ajv (strict mode: unknown keywords and invalid shapes are errors), so a schema AppConfig
 * would reject, or one that silently accepts everything by a typo, fails at synth. Returns the canonical JSON and the
 * secret name; throws an `Error` whose message starts with `where` and names ajv's complaint.
 */
export function compileProfileSchema(where: string, application: string, profile: string, schema: ProfileSchema): CompiledProfileSchema {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new Error(`${where}: 'schema' must be a JSON Schema object, e.g. { type: 'object', properties: { ... }, required: [...] }`);
  }
  if ('$schema' in schema) {
    throw new Error(`${where}: 'schema' sets '$schema' (${String(schema.$schema)}); leave it out, the keywords must mean the same in draft-04 and draft-07`);
  }
  try {
    ajv.compile(schema);
  } catch (error) {
    throw new Error(`${where}: 'schema' is not a valid JSON Schema: ${(error as Error).message}; fix the app's schema constant`);
  }
  const canonicalJson = canonicalSchemaJson(schema);
  if (canonicalJson.length > VALIDATOR_CONTENT_LIMIT) {
    throw new Error(`${where}: 'schema' is ${canonicalJson.length} characters of JSON, AppConfig allows ${VALIDATOR_CONTENT_LIMIT} per validator; split or simplify it`);
  }
  return { canonicalJson, secretName: appconfigSchemaSecretName(application, profile, canonicalJson), key: APPCONFIG_SCHEMA_KEY };
}
