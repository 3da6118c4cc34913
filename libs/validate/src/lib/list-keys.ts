import type Ajv from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types';

export const LIST_MAP_KEYS_KEYWORD = 'x-flotilla-list-map-keys';

function describeKey(item: unknown, keys: readonly string[]): string {
  return keys.map((key) => `${key}=${JSON.stringify((item as Record<string, unknown> | null)?.[key] ?? null)}`).join(', ');
}

/**
 * `x-kubernetes-list-type: map` lists are associative: server-side apply (what Flux uses) rejects
 * two items with the same `x-kubernetes-list-map-keys` values, e.g. two env vars named `LOG_LEVEL`.
 */
export function addListMapKeysKeyword(ajv: Ajv): void {
  const validate = (keys: string[], data: unknown, _parent?: unknown, context?: DataValidationCxt): boolean => {
    if (!Array.isArray(data)) return true;
    const seen = new Map<string, number>();
    const errors: { instancePath: string; keyword: string; message: string; params: Record<string, unknown> }[] = [];
    data.forEach((item, index) => {
      const identity = JSON.stringify(keys.map((key) => (item as Record<string, unknown> | null)?.[key] ?? null));
      const first = seen.get(identity);
      if (first === undefined) seen.set(identity, index);
      else {
        errors.push({
          instancePath: `${context?.instancePath ?? ''}/${index}`,
          keyword: LIST_MAP_KEYS_KEYWORD,
          message: `duplicate entry ${describeKey(item, keys)}`,
          params: { keys, first, key: describeKey(item, keys) },
        });
      }
    });
    (validate as unknown as { errors: unknown[] }).errors = errors;
    return errors.length === 0;
  };
  ajv.addKeyword({ keyword: LIST_MAP_KEYS_KEYWORD, schemaType: 'array', type: 'array', errors: true, validate });
}
