import { joinFieldPath } from '@flotilla/model';

/** Values longer than this (as compact JSON) are reported as "changed" without the values. */
export const SHORT_VALUE_LENGTH = 60;

/** One field that differs between the base and the head version of an object. */
export interface FieldChange {
  /** Dotted field path with indexes, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly type: 'added' | 'removed' | 'changed';
  /** The old value, only when it is short (see {@link SHORT_VALUE_LENGTH}) and not secret. */
  readonly before?: unknown;
  /** The new value, only when it is short and not secret. */
  readonly after?: unknown;
  /** True when a value was left out because it is long; see `lines` for multi-line strings. */
  readonly long?: boolean;
  /** True when the values were left out because they are Secret data. */
  readonly hidden?: boolean;
  /** For changed multi-line strings: how many lines were added and removed. */
  readonly lines?: { readonly added: number; readonly removed: number };
}

export interface FieldDiffOptions {
  /**
   * Field paths (as segment prefixes) whose values must never be printed, e.g. Secret `data`.
   * @default - nothing hidden
   */
  readonly hiddenPrefixes?: readonly (readonly string[])[];
}

/** Lists the fields that differ between two JSON values, in document order of the head value. */
export function diffFields(before: unknown, after: unknown, options: FieldDiffOptions = {}): FieldChange[] {
  const changes: FieldChange[] = [];
  walk(before, after, [], changes, options.hiddenPrefixes ?? []);
  return changes;
}

/** Deep equality of JSON values, independent of key order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameValue(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  if (keys.length !== Object.keys(right).filter((key) => right[key] !== undefined).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && sameValue(left[key], right[key]));
}

/** Compact JSON with sorted keys: a stable fingerprint of a value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const record = item as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
  });
}

/** A value as it is printed in a change line: compact JSON. */
export function formatValue(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

type Segment = string | number;

function walk(
  before: unknown,
  after: unknown,
  segments: Segment[],
  out: FieldChange[],
  hidden: readonly (readonly string[])[],
): void {
  if (sameValue(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((key) => !Object.hasOwn(after, key))];
    for (const key of keys) walk(before[key], after[key], [...segments, key], out, hidden);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && !isScalarList(before) && !isScalarList(after)) {
    walkList(before, after, segments, out, hidden);
    return;
  }
  out.push(leafChange(before, after, segments, hidden));
}

/** Lists of objects with unique `name`s (containers, env, volumes) are matched by name, not position. */
function walkList(
  before: unknown[],
  after: unknown[],
  segments: Segment[],
  out: FieldChange[],
  hidden: readonly (readonly string[])[],
): void {
  const beforeNames = namesOf(before);
  const afterNames = namesOf(after);
  if (beforeNames && afterNames) {
    const beforeIndex = new Map(beforeNames.map((name, i) => [name, i]));
    afterNames.forEach((name, i) => {
      const old = beforeIndex.get(name);
      walk(old === undefined ? undefined : before[old], after[i], [...segments, i], out, hidden);
    });
    const kept = new Set(afterNames);
    beforeNames.forEach((name, i) => {
      if (!kept.has(name)) walk(before[i], undefined, [...segments, i], out, hidden);
    });
    return;
  }
  const length = Math.max(before.length, after.length);
  for (let i = 0; i < length; i++) walk(before[i], after[i], [...segments, i], out, hidden);
}

function leafChange(
  before: unknown,
  after: unknown,
  segments: Segment[],
  hidden: readonly (readonly string[])[],
): FieldChange {
  const path = joinFieldPath(segments);
  const type = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  if (hidden.some((prefix) => prefix.every((segment, i) => segments[i] === segment))) {
    return { path, type, hidden: true };
  }
  if (type === 'changed' && typeof before === 'string' && typeof after === 'string' && isMultiLine(before, after)) {
    return { path, type, long: true, lines: lineChanges(before, after) };
  }
  const short = (value: unknown) => value === undefined || formatValue(value).length <= SHORT_VALUE_LENGTH;
  if (short(before) && short(after)) {
    return { path, type, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
  }
  return { path, type, long: true };
}

function isMultiLine(before: string, after: string): boolean {
  return before.includes('\n') || after.includes('\n');
}

/** Added and removed lines, counted as multisets (cheap, order-blind; good enough for a summary). */
function lineChanges(before: string, after: string): { added: number; removed: number } {
  const counts = new Map<string, number>();
  for (const line of before.split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of after.split('\n')) {
    const left = counts.get(line) ?? 0;
    if (left > 0) counts.set(line, left - 1);
    else added++;
  }
  let removed = 0;
  for (const left of counts.values()) removed += left;
  return { added, removed };
}

function namesOf(list: unknown[]): string[] | undefined {
  if (list.length === 0) return [];
  const names = list.map((item) => (isRecord(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some((name) => name === undefined)) return undefined;
  return new Set(names).size === names.length ? (names as string[]) : undefined;
}

function isScalarList(list: unknown[]): boolean {
  return list.every((item) => item === null || typeof item !== 'object');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
