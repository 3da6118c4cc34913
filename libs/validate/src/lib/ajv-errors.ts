import type { ErrorObject } from 'ajv';
import { joinFieldPath } from '@flotilla/model';
import { suggestQuantity } from './formats';
import { closest } from './suggest';

/** A schema problem before it is tied to a file and object. */
export interface SchemaProblem {
  readonly code: string;
  readonly segments: readonly (string | number)[];
  readonly message: string;
  readonly fix?: string;
}

/** JSON pointer → field path segments; numbers only where the data really is an array. */
export function pointerToSegments(root: unknown, pointer: string): (string | number)[] {
  if (!pointer) return [];
  const segments: (string | number)[] = [];
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      segments.push(Number(key));
      current = current[Number(key)];
    } else {
      segments.push(key);
      current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}

export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function expectedType(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).filter((t) => t !== 'null') as string[];
  const names = types.map((t) => (t === 'object' ? 'an object' : t === 'array' ? 'a list' : t === 'integer' ? 'an integer' : `a ${t}`));
  return names.join(' or ');
}

function branchRequired(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches)) return undefined;
  const names: string[] = [];
  for (const branch of branches) {
    const required = (branch as { required?: unknown })?.required;
    if (!Array.isArray(required) || required.length !== 1) return undefined;
    names.push(String(required[0]));
  }
  return names;
}

function problemFor(error: ErrorObject, root: unknown): SchemaProblem | undefined {
  const at = pointerToSegments(root, error.instancePath);
  const value = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys(((error.parentSchema as { properties?: object })?.properties ?? {}) as object);
      const guess = closest(field, known);
      return {
        code: 'schema/unknown-field',
        segments: [...at, field],
        message: `unknown field "${field}"`,
        fix: guess
          ? `did you mean "${guess}"?`
          : known.length > 0
            ? `remove it; known fields here: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`
            : 'remove it',
      };
    }
    case 'required':
      return {
        code: 'schema/required',
        segments: [...at, String(params.missingProperty)],
        message: `missing required field "${params.missingProperty}"`,
        fix: `set ${joinFieldPath([...at, String(params.missingProperty)])}`,
      };
    case 'type': {
      const fix =
        typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) && /integer|number/.test(String(params.type))
          ? `write ${value} without quotes`
          : (typeof value === 'number' || typeof value === 'boolean') && String(params.type).includes('string')
            ? `quote it: "${value}"`
            : `write ${expectedType(params.type)} here`;
      return { code: 'schema/type', segments: at, message: `${describeValue(value)} is ${typeName(value)}, expected ${expectedType(params.type)}`, fix };
    }
    case 'enum': {
      const allowed = ((params.allowedValues as unknown[]) ?? []).filter((v) => v !== null);
      const guess = typeof value === 'string' ? closest(value, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      return {
        code: 'schema/enum',
        segments: at,
        message: `${describeValue(value)} is not one of ${allowed.map((v) => describeValue(v)).join(', ')}`,
        fix: guess ? `did you mean "${guess}"?` : `use one of ${allowed.map((v) => describeValue(v)).join(', ')}`,
      };
    }
    case 'format': {
      if (params.format === 'quantity') {
        const guess = typeof value === 'string' ? suggestQuantity(value) : undefined;
        return {
          code: 'schema/quantity',
          segments: at,
          message: `${describeValue(value)} is not a quantity`,
          fix: guess ? `did you mean ${guess}?` : 'use a Kubernetes quantity such as 512Mi, 1Gi, 500m or 2',
        };
      }
      const hints: Record<string, string> = {
        duration: 'use a Go duration such as 30s, 5m or 1h30m',
        'date-time': 'use an RFC 3339 timestamp such as 2026-01-31T12:00:00Z',
        byte: 'base64-encode the value',
        int32: 'use an integer between -2147483648 and 2147483647',
      };
      return { code: 'schema/format', segments: at, message: `${describeValue(value)} is not a valid ${params.format}`, fix: hints[String(params.format)] };
    }
    case 'pattern': {
      // Flux and friends spell Go durations as a pattern; say so instead of showing only the regex.
      const duration = /\(ms\|s\|m\|h\)/.test(String(params.pattern));
      return {
        code: 'schema/pattern',
        segments: at,
        message: `${describeValue(value)} does not match the pattern ${params.pattern}`,
        fix: duration ? 'use a Go duration such as 30s, 10m or 1h' : undefined,
      };
    }
    case 'oneOf':
    case 'anyOf': {
      const names = branchRequired(error.schema);
      const exactly = error.keyword === 'oneOf';
      if (names) {
        const present = names.filter((name) => value && typeof value === 'object' && name in (value as object));
        return {
          code: 'schema/one-of',
          segments: at,
          message: `${exactly ? 'exactly' : 'at least'} one of ${names.join(', ')} must be set${present.length > 1 ? ` (found ${present.join(', ')})` : ''}`,
          fix: present.length > 1 ? `keep only one of ${present.join(', ')}` : `set one of ${names.join(', ')}`,
        };
      }
      return { code: 'schema/one-of', segments: at, message: `${describeValue(value)} ${error.message}` };
    }
    case 'not': {
      const names = branchRequired((error.schema as { anyOf?: unknown })?.anyOf);
      if (names) return { code: 'schema/not', segments: at, message: `none of ${names.join(', ')} may be set here`, fix: `remove ${names.join(', ')}` };
      return { code: 'schema/not', segments: at, message: `${describeValue(value)} is not allowed here` };
    }
    case 'x-flotilla-list-map-keys':
      return {
        code: 'schema/duplicate-key',
        segments: at,
        message: `${error.message} (same as item [${params.first}])`,
        fix: 'merge or rename the entries: server-side apply (Flux) rejects lists with duplicate keys',
      };
    case 'uniqueItems':
      return {
        code: 'schema/duplicate-item',
        segments: at,
        message: `items [${params.j}] and [${params.i}] are equal`,
        fix: 'remove the duplicate: this list is a set',
      };
    default:
      return { code: `schema/${error.keyword}`, segments: at, message: `${describeValue(value)} ${error.message ?? 'is invalid'}` };
  }
}

/** Maps ajv errors to problems: one per cause, alternatives of a failed anyOf/oneOf folded into it. */
export function problemsFromAjv(errors: readonly ErrorObject[], root: unknown): SchemaProblem[] {
  const groupPrefixes = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'not')
    .map((e) => `${e.schemaPath}/`);
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (groupPrefixes.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const problem = problemFor(error, root);
    if (!problem) continue;
    const key = `${joinFieldPath(problem.segments)}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
