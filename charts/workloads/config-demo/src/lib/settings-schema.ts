import type { JSONSchemaType } from 'ajv';

/** What config-demo reads from its AppConfig profile `settings` (served as `/config.json`). */
export interface ConfigDemoSettings {
  /** Shown by the demo page. */
  readonly message: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Items per page, 1-100. */
  readonly pageSize: number;
}

/**
 * The profile's JSON Schema (AppConfig's `JSON_SCHEMA` validator): typed against {@link ConfigDemoSettings} by ajv's
 * `JSONSchemaType`, so the schema and the type cannot drift apart; the binding compiles it with ajv at synth.
 * Keywords common to JSON Schema draft-04 and draft-07 only (every field required: `JSONSchemaType` would express an
 * optional one with ajv's non-standard `nullable`). Other keys are allowed, so a new field can be rolled
 * out before the app reads it.
 */
export const CONFIG_DEMO_SCHEMA: JSONSchemaType<ConfigDemoSettings> = {
  type: 'object',
  properties: {
    message: { type: 'string', minLength: 1, maxLength: 200 },
    logLevel: { type: 'string', enum: ['debug', 'info', 'warn', 'error'] },
    pageSize: { type: 'integer', minimum: 1, maximum: 100 },
  },
  required: ['message', 'logLevel', 'pageSize'],
  additionalProperties: true,
};
