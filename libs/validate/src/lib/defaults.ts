import type { SchemaNode } from '@flotilla/schemas';

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Returns `value` with the schema's `default`s filled in, the way the API server defaults an object
 * before running CEL rules (missing properties of present objects, list items, map values).
 * The input is not modified; untouched subtrees are shared.
 */
export function applyDefaults(schema: SchemaNode | undefined, value: unknown): unknown {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = schema.items as SchemaNode | undefined;
    if (!items || !hasDefaults(items)) return value;
    return value.map((item) => applyDefaults(items, item));
  }
  const properties = schema.properties as Record<string, SchemaNode> | undefined;
  const additional = typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as SchemaNode) : undefined;
  if (!hasDefaults(schema)) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = { ...source };
  if (properties) {
    for (const [name, child] of Object.entries(properties)) {
      if (out[name] === undefined && child.default !== undefined) out[name] = clone(child.default);
      if (out[name] !== undefined) out[name] = applyDefaults(child, out[name]);
    }
  }
  if (additional) {
    for (const key of Object.keys(out)) {
      if (properties && key in properties) continue;
      out[key] = applyDefaults(additional, out[key]);
    }
  }
  return out;
}

const cache = new WeakMap<SchemaNode, boolean>();

/** Whether any node at or below this one declares a default (memoised per schema node). */
export function hasDefaults(schema: SchemaNode): boolean {
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  cache.set(schema, false); // guards against cycles
  let found = false;
  for (const child of Object.values((schema.properties as Record<string, SchemaNode>) ?? {})) {
    if (child.default !== undefined || hasDefaults(child)) {
      found = true;
      break;
    }
  }
  if (!found && schema.items && typeof schema.items === 'object') found = hasDefaults(schema.items as SchemaNode);
  if (!found && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    const additional = schema.additionalProperties as SchemaNode;
    found = additional.default !== undefined || hasDefaults(additional);
  }
  cache.set(schema, found);
  return found;
}

/**
 * Drops null-valued object members, as the API server prunes them before defaulting and CEL
 * (`nullable` fields aside, which CEL rules rarely touch). Returns the input when it has no nulls.
 */
export function pruneNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const pruned = pruneNulls(item);
      if (pruned !== item) changed = true;
      return pruned;
    });
    return changed ? items : value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const pruned = item === null ? undefined : pruneNulls(item);
    if (pruned !== item) {
      out ??= { ...(value as Record<string, unknown>) };
      if (pruned === undefined) delete out[key];
      else out[key] = pruned;
    }
  }
  return out ?? value;
}
