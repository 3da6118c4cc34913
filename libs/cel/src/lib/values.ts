/**
 * Conversions between plain JSON (as rendered manifests are) and CEL runtime values, plus the
 * equality and ordering CEL defines, used by the list and set libraries.
 */

const converted = new WeakMap<object, unknown>();

const PENDING = Symbol('pending');
const COMPUTE = Symbol('compute');
const FAILED = Symbol('failed');

type LazyMap = Map<string, unknown> & { [COMPUTE]: (name: string) => unknown };

// Shared by every lazy map (no closure per object): computes a pending entry once, then memoises
// its value, or the error it threw.
function lazyGet(this: LazyMap, name: string): unknown {
  const current = Map.prototype.get.call(this, name);
  if (current !== PENDING) {
    if (current && typeof current === 'object' && FAILED in current) throw (current as { [FAILED]: unknown })[FAILED];
    return current;
  }
  let value: unknown;
  try {
    value = this[COMPUTE](name);
  } catch (error) {
    Map.prototype.set.call(this, name, { [FAILED]: error });
    throw error;
  }
  Map.prototype.set.call(this, name, value);
  return value;
}

/**
 * A CEL map whose entries are computed on first access and memoised, e.g. Gatekeeper's
 * `variables` (Kubernetes evaluates composited variables lazily, so an error in an unused
 * variable never surfaces). `compute(name)` returns a CEL value: results of other programs as they
 * are, JSON through {@link toCelValue}. An entry whose computation threw throws again on every access.
 * `has(m.name)` is true for every listed name, as for Kubernetes' typed `variables` object.
 */
export function celLazyObject(names: readonly string[], compute: (name: string) => unknown): Map<string, unknown> {
  const map = new Map<string, unknown>() as LazyMap;
  for (const name of names) map.set(name, PENDING);
  map[COMPUTE] = compute;
  map.get = lazyGet;
  return map;
}

/**
 * JSON → CEL: integral numbers become `int` (BigInt), other numbers stay `double`, as Kubernetes
 * decodes JSON numbers. Objects are converted once and cached by identity, so evaluating many
 * expressions against the same object costs one conversion.
 */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  const cached = converted.get(value);
  if (cached !== undefined) return cached;
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map(toCelValue);
  } else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    const object: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) object[key] = toCelValue(item);
    }
    out = object;
  } else {
    return value;
  }
  converted.set(value, out);
  return out;
}

/** CEL → JSON-friendly JS: BigInt → number (or string when unsafe), Maps → objects. */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCelValue(v)]));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCelValue(v)]));
  }
  return value;
}

function isNumeric(value: unknown): value is bigint | number {
  return typeof value === 'bigint' || typeof value === 'number' || isUint(value);
}

function isUint(value: unknown): boolean {
  return !!value && typeof value === 'object' && value.constructor?.name === 'UnsignedInt';
}

function numericValue(value: unknown): bigint | number {
  if (isUint(value)) return (value as { valueOf(): bigint }).valueOf();
  return value as bigint | number;
}

/** CEL equality: numeric values compare across int, uint and double; lists and maps deeply. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) {
    const x = numericValue(a);
    const y = numericValue(b);
    // Loose equality on purpose: it compares a BigInt with a number exactly.
    return x == y;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => celEquals(item, b[i]));
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  const entriesA = entriesOf(a);
  const entriesB = entriesOf(b);
  if (!entriesA || !entriesB) return (a as { valueOf(): unknown }).valueOf() === (b as { valueOf(): unknown }).valueOf();
  if (entriesA.size !== entriesB.size) return false;
  for (const [key, value] of entriesA) {
    if (!entriesB.has(key) || !celEquals(value, entriesB.get(key))) return false;
  }
  return true;
}

function entriesOf(value: object): Map<unknown, unknown> | undefined {
  if (value instanceof Map) return value;
  if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    return new Map(Object.entries(value));
  }
  return undefined;
}

/** CEL ordering for comparable values (numbers, strings, bools, timestamps, durations, bytes). */
export function celCompare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) {
    const x = numericValue(a);
    const y = numericValue(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    // CEL compares strings by code point
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a && b && typeof a === 'object' && typeof b === 'object' && a.constructor === b.constructor && a.constructor?.name === 'Duration') {
    return Math.sign(Number(a.valueOf()) - Number(b.valueOf()));
  }
  throw new TypeError(`no such overload: cannot compare ${typeNameOf(a)} and ${typeNameOf(b)}`);
}

/** The CEL type name of a runtime value, for error messages. */
export function typeNameOf(value: unknown): string {
  if (value === null || value === undefined) return 'null_type';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Date) return 'google.protobuf.Timestamp';
  if (value instanceof Map || Object.getPrototypeOf(value) === Object.prototype) return 'map';
  return (value as object).constructor?.name ?? 'object';
}
