import type { SchemaNode } from '../src/lib/crd-source';

/** Schema keywords kept in the compact schemas; everything else (descriptions, patch strategies…) is dropped. */
const KEPT = new Set([
  '$ref',
  'type',
  'format',
  'enum',
  'default',
  'nullable',
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
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
]);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const RULE_FIELDS = ['rule', 'message', 'messageExpression', 'reason', 'fieldPath', 'optionalOldSelf'] as const;

/**
 * Strips a schema node to what validation needs. Keys come out sorted so the output is byte-for-byte
 * reproducible; `$ref`s to `#/definitions/…` are kept as they are.
 */
export function compactSchema(node: SchemaNode, options: { dropStatus?: boolean } = {}): SchemaNode {
  const out: SchemaNode = {};
  for (const key of Object.keys(node).sort()) {
    const value = node[key];
    if (KEPT.has(key)) out[key] = value;
    else if (key === 'properties' && value && typeof value === 'object') {
      const properties: Record<string, SchemaNode> = {};
      for (const name of Object.keys(value).sort()) {
        const child = (value as Record<string, SchemaNode>)[name]!;
        properties[name] =
          options.dropStatus && name === 'status' ? { 'x-kubernetes-preserve-unknown-fields': true } : compactSchema(child);
      }
      out.properties = properties;
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && value && typeof value === 'object') {
      out[key] = compactSchema(value as SchemaNode);
    } else if (key === 'additionalProperties' && typeof value === 'boolean') {
      out[key] = value;
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((child) => compactSchema(child as SchemaNode));
    } else if (key === 'x-kubernetes-validations' && Array.isArray(value)) {
      out[key] = value.map((rule: Record<string, unknown>) => {
        const kept: Record<string, unknown> = {};
        for (const field of RULE_FIELDS) if (rule[field] !== undefined) kept[field] = rule[field];
        return kept;
      });
    }
  }
  // A `$ref` with siblings (descriptions, mostly) is just the `$ref`.
  if (out.$ref !== undefined) return { $ref: out.$ref };
  return out;
}

/** JSON with sorted keys, one entry of the top-level maps per line: compact and diff-friendly. */
export function stringifyBundle(bundle: Record<string, unknown>): string {
  const lines: string[] = ['{'];
  const keys = Object.keys(bundle);
  keys.forEach((key, i) => {
    const value = bundle[key];
    const comma = i < keys.length - 1 ? ',' : '';
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.keys(value).sort(byteOrder);
      lines.push(`${JSON.stringify(key)}: {`);
      entries.forEach((entry, j) => {
        const inner = JSON.stringify((value as Record<string, unknown>)[entry]);
        lines.push(`${JSON.stringify(entry)}: ${inner}${j < entries.length - 1 ? ',' : ''}`);
      });
      lines.push(`}${comma}`);
    } else {
      lines.push(`${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
    }
  });
  lines.push('}', '');
  return lines.join('\n');
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
