import type { SchemaNode } from '@flotilla/schemas';
import { isQuantityPattern, KNOWN_FORMATS } from './formats';
import type { LazySchemas } from './lazy-schemas';
import { LIST_MAP_KEYS_KEYWORD } from './list-keys';

/** `$id` of the Kubernetes definitions schema registered in each ajv instance. */
export const DEFINITIONS_ID = 'k8s-definitions';
export const OBJECT_META_REF = `${DEFINITIONS_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

const PASSTHROUGH = new Set([
  'enum',
  'required',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
]);

/** Definitions whose OpenAPI shape (`oneOf` string/number) is replaced by what the API server accepts. */
const SPECIAL_DEFINITIONS: Record<string, SchemaNode> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: ['string', 'number', 'null'], format: 'quantity' },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: ['string', 'integer', 'null'] },
};

export interface ConvertOptions {
  /** Reject fields a schema does not declare (kubectl --validate=strict). */
  readonly strict: boolean;
  /** Prefix for `#/definitions/…` refs (built-ins refer into the shared definitions schema). */
  readonly refPrefix: string;
  /** Compile `$ref`s and big subschemas on first use. @default - everything compiles with its parent */
  readonly lazy?: LazySchemas;
}

/**
 * Turns a Kubernetes structural schema into a plain JSON Schema for ajv: null values,
 * `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields` and
 * `x-kubernetes-embedded-resource` become ordinary keywords, unknown fields are rejected where the
 * API server would prune them, and quantities get the `quantity` format.
 */
export function toAjvSchema(node: SchemaNode, options: ConvertOptions): SchemaNode {
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace(/^#\/definitions\//, '');
    return options.lazy ? options.lazy.ref(`${DEFINITIONS_ID}#/definitions/${name}`) : { $ref: `${options.refPrefix}#/definitions/${name}` };
  }
  const wrap = (schema: SchemaNode) => (options.lazy ? options.lazy.wrap(schema) : schema);
  const out: SchemaNode = {};
  for (const key of Object.keys(node)) if (PASSTHROUGH.has(key)) out[key] = node[key];

  let type = node.type as string | undefined;
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  // The API server treats an explicit null like an absent field (Go decoding for built-ins, pruning
  // for CRDs), so null passes wherever a type is declared; `required` still catches absent fields.
  if (intOrString) out.type = ['integer', 'string', 'null'];
  else if (type) out.type = [type, 'null'];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];

  if (typeof node.format === 'string' && KNOWN_FORMATS.has(node.format)) out.format = node.format;
  if (isQuantityPattern(node.pattern)) {
    delete out.pattern;
    out.format = 'quantity';
  }

  if (node.properties && typeof node.properties === 'object') {
    const properties: Record<string, SchemaNode> = {};
    for (const [name, child] of Object.entries(node.properties as Record<string, SchemaNode>)) {
      properties[name] = wrap(toAjvSchema(child, options));
    }
    out.properties = properties;
  }
  if (embedded) {
    // An embedded object is a whole Kubernetes object: apiVersion, kind and metadata are allowed.
    const properties = (out.properties ?? {}) as Record<string, SchemaNode>;
    properties.apiVersion ??= { type: 'string' };
    properties.kind ??= { type: 'string' };
    properties.metadata = { type: 'object' };
    out.properties = properties;
    type ??= 'object';
  }
  const listType = node['x-kubernetes-list-type'];
  const listKeys = node['x-kubernetes-list-map-keys'];
  if (listType === 'map' && Array.isArray(listKeys) && listKeys.length > 0) out[LIST_MAP_KEYS_KEYWORD] = listKeys;
  if (listType === 'set') out.uniqueItems = true;
  if (node.items && typeof node.items === 'object') out.items = wrap(toAjvSchema(node.items as SchemaNode, options));
  if (node.additionalProperties !== undefined) {
    out.additionalProperties =
      typeof node.additionalProperties === 'object'
        ? wrap(toAjvSchema(node.additionalProperties as SchemaNode, options))
        : node.additionalProperties;
  } else if (options.strict && out.properties && !preserve) {
    out.additionalProperties = false;
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (!Array.isArray(list) || intOrString) continue;
    // Structural schemas may only constrain (required, enums…) inside these; never reject unknown fields
    // there. Branches compile eagerly: a lazy node always passes, which would make every branch match.
    out[key] = list.map((child) => toAjvSchema(child as SchemaNode, { ...options, strict: false, lazy: undefined }));
  }
  if (node.not && typeof node.not === 'object') out.not = toAjvSchema(node.not as SchemaNode, { ...options, strict: false, lazy: undefined });
  return out;
}

/** The Kubernetes definitions as one ajv schema (`$id` {@link DEFINITIONS_ID}). */
export function definitionsSchema(definitions: Readonly<Record<string, SchemaNode>>, strict: boolean, lazy?: LazySchemas): SchemaNode {
  const converted: Record<string, SchemaNode> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    converted[name] = SPECIAL_DEFINITIONS[name] ?? toAjvSchema(definition, { strict, refPrefix: '', lazy });
  }
  return { $id: DEFINITIONS_ID, definitions: converted };
}

/**
 * Root schema of a kind: the converted schema with `metadata` checked as a real `ObjectMeta` and
 * `apiVersion`/`kind` required, whether it comes from a CRD or the built-in definitions.
 */
export function kindSchema(schema: SchemaNode, strict: boolean, lazy?: LazySchemas): SchemaNode {
  const converted = toAjvSchema(schema, { strict, refPrefix: DEFINITIONS_ID, lazy });
  const root = (converted.$ref ? { allOf: [converted] } : converted) as SchemaNode;
  const properties = { ...((root.properties ?? {}) as Record<string, SchemaNode>) };
  properties.metadata = { $ref: OBJECT_META_REF };
  properties.apiVersion = { type: 'string' };
  properties.kind = { type: 'string' };
  return { ...root, type: 'object', properties, required: [...new Set([...((root.required as string[]) ?? []), 'metadata'])] };
}
