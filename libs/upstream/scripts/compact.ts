/**
 * The compact form of the vendored upstream files: the same documents with every schema
 * `description` removed (the generators never read them; they are most of the bytes). Nothing else
 * changes, so the generators produce the same output from the compact copy as from the upstream file.
 */
import { parseAllDocuments, stringify } from 'yaml';

type Node = { [key: string]: unknown };

const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keywords whose value is a map of name → schema. */
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies', 'dependentSchemas'];
/** Keywords whose value is a schema or a list of schemas (CRDs use the first seven; chart schemas any JSON Schema draft). */
const SCHEMA_VALUES = ['items', 'additionalProperties', 'additionalItems', 'not', 'allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', 'prefixItems', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'];

/**
 * Removes the `description` of a schema node and of every schema below it. Only schema positions
 * are walked: a `description` inside a `default`, `enum` or `example` value is data and stays.
 */
export function stripDescriptions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripDescriptions);
  if (!isObject(schema)) return schema;
  const out: Node = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' && typeof value === 'string') continue;
    if (SCHEMA_MAPS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, stripDescriptions(child)]));
    } else if (SCHEMA_VALUES.includes(key)) {
      out[key] = stripDescriptions(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Same CRD with the descriptions of every version's schema removed; refuses anything but one CRD. */
export function compactCrd(text: string, file: string): string {
  const docs = parseAllDocuments(text).filter((doc) => doc.contents !== null);
  if (docs.length !== 1) throw new Error(`${file}: expected exactly one YAML document (one CustomResourceDefinition), found ${docs.length}`);
  const doc = docs[0]!;
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
  const crd = doc.toJSON() as { apiVersion?: string; kind?: string; spec?: { versions?: { schema?: { openAPIV3Schema?: unknown } }[] } };
  if (crd?.kind !== 'CustomResourceDefinition' || crd.apiVersion !== 'apiextensions.k8s.io/v1') {
    throw new Error(`${file}: expected an apiextensions.k8s.io/v1 CustomResourceDefinition, found ${crd?.apiVersion ?? '?'} ${crd?.kind ?? '?'}`);
  }
  for (const version of crd.spec?.versions ?? []) {
    if (version.schema?.openAPIV3Schema) version.schema.openAPIV3Schema = stripDescriptions(version.schema.openAPIV3Schema);
  }
  // lineWidth 0: no folded lines, so a CEL rule or pattern stays on one line and diffs stay readable.
  return stringify(crd, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Kubernetes OpenAPI v2 `_definitions.json` without descriptions: one definition per line, upstream order. */
export function compactDefinitions(text: string, file: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed) || !isObject(parsed.definitions)) throw new Error(`${file}: expected an object with a "definitions" map`);
  const entries = Object.entries(parsed.definitions).map(([name, schema]) => `${JSON.stringify(name)}: ${JSON.stringify(stripDescriptions(schema))}`);
  return `{\n"definitions": {\n${entries.join(',\n')}\n}\n}\n`;
}

/** A chart's `values.schema.json` without descriptions, as two-space JSON (keys in upstream order). */
export function compactValuesSchema(text: string, file: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new Error(`${file}: expected a JSON Schema object`);
  return `${JSON.stringify(stripDescriptions(parsed), null, 2)}\n`;
}

/**
 * A chart's `values.yaml` as two-space JSON: the defaults Helm merges user values into before it
 * validates them against the schema. Comments (most of the bytes) are gone; data is unchanged.
 */
export function compactValuesDefaults(text: string, file: string): string {
  const docs = parseAllDocuments(text).filter((doc) => doc.contents !== null);
  if (docs.length > 1) throw new Error(`${file}: expected one YAML document, found ${docs.length}`);
  const doc = docs[0];
  if (doc && doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
  const values = doc ? (doc.toJSON() as unknown) : {};
  if (!isObject(values)) throw new Error(`${file}: expected a map of values at the top level`);
  return `${JSON.stringify(values, null, 2)}\n`;
}
