import { Environment, EvaluationError, Optional } from '@marcbachmann/cel-js';

/**
 * Optional entries in list and map literals (`[a, ?b]`, `{"k": 1, ?"o": opt}`), which Kubernetes
 * enables with optional types and cel-js cannot parse. Literals that use them are rewritten before
 * parsing into calls that drop absent entries:
 *   `[a, ?b]`            → `k8sListOf([dyn(a), dyn(b)], [false, true])`
 *   `{k: v, ?k2: v2}`    → `k8sMapOf([dyn(k), dyn(k2)], [dyn(v), dyn(v2)], [false, true])`
 * Strings and comments are skipped; index access (`a[?k]`, `a[0]`) is left alone.
 */

const OPEN: Record<string, string> = { '[': ']', '{': '}', '(': ')' };

/** End index (exclusive) of the string literal starting at `start` (quote position). */
function stringEnd(src: string, start: number): number {
  const quote = src[start]!;
  const triple = src.startsWith(quote.repeat(3), start);
  const terminator = triple ? quote.repeat(3) : quote;
  const raw = /[rR]/.test(src.slice(Math.max(0, start - 2), start).replace(/[^rRbB]/g, ''));
  let i = start + terminator.length;
  while (i < src.length) {
    if (!raw && src[i] === '\\') {
      i += 2;
      continue;
    }
    if (src.startsWith(terminator, i)) return i + terminator.length;
    i++;
  }
  return i;
}

/** Index of the bracket closing the one at `start`, skipping strings and nested brackets. */
function matchingClose(src: string, start: number): number {
  const stack = [OPEN[src[start]!]!];
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      i = stringEnd(src, i) - 1;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (OPEN[c]) {
      stack.push(OPEN[c]!);
    } else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Splits at top-level occurrences of `separator`, skipping strings and brackets. */
function splitTopLevel(src: string, separator: ',' | ':'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let ternaries = 0;
  let from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'") i = stringEnd(src, i) - 1;
    else if (OPEN[c]) depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === '?' && separator === ':') {
      // `?` opens a ternary unless it marks an optional entry (first char) or is `.?` / `[?`
      const before = src.slice(0, i).trim();
      if (before !== '' && !before.endsWith('.') && !before.endsWith('[')) ternaries++;
    } else if (depth === 0 && c === separator) {
      if (separator === ':' && ternaries > 0) {
        ternaries--;
        continue;
      }
      parts.push(src.slice(from, i));
      from = i + 1;
      if (separator === ':') break;
    }
  }
  parts.push(src.slice(from));
  return parts;
}

function isLiteralOpening(src: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(src[i]!)) i--;
  if (i < 0) return true;
  const c = src[i]!;
  if (c === '"' || c === "'") return false;
  if (/[A-Za-z0-9_]/.test(c)) {
    let j = i;
    while (j >= 0 && /[A-Za-z0-9_]/.test(src[j]!)) j--;
    return src.slice(j + 1, i + 1) === 'in';
  }
  return !(c === ')' || c === ']' || c === '}');
}

/** True when `src` may contain an optional literal entry (cheap pre-check). */
export function mayHaveOptionalEntries(src: string): boolean {
  return /[[{,]\s*\?/.test(src);
}

/** Rewrites optional literal entries as described above; returns `src` unchanged when there are none. */
export function rewriteOptionalEntries(src: string): string {
  if (!mayHaveOptionalEntries(src)) return src;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      const end = stringEnd(src, i);
      out += src.slice(i, end);
      i = end;
      continue;
    }
    if ((c === '[' || c === '{') && isLiteralOpening(src, i)) {
      const close = matchingClose(src, i);
      if (close < 0) return src;
      out += rewriteLiteral(c, src.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function rewriteLiteral(open: '[' | '{', inner: string): string {
  const close = open === '[' ? ']' : '}';
  const entries = inner.trim() === '' ? [] : splitTopLevel(inner, ',');
  // a trailing comma leaves an empty last entry
  if (entries.length > 0 && entries[entries.length - 1]!.trim() === '') entries.pop();
  const optional = entries.map((e) => e.trimStart().startsWith('?'));
  const bodies = entries.map((e, k) => (optional[k] ? e.trimStart().slice(1) : e));
  if (!optional.includes(true)) return `${open}${rewriteOptionalEntries(inner)}${close}`;
  const flags = `[${optional.join(', ')}]`;
  if (open === '[') return `k8sListOf([${bodies.map((b) => `dyn(${rewriteOptionalEntries(b)})`).join(', ')}], ${flags})`;
  const pairs = bodies.map((b) => splitTopLevel(b, ':'));
  if (pairs.some((p) => p.length !== 2)) return `${open}${inner}${close}`;
  const keys = pairs.map((p) => `dyn(${rewriteOptionalEntries(p[0]!)})`);
  const values = pairs.map((p) => `dyn(${rewriteOptionalEntries(p[1]!)})`);
  return `k8sMapOf([${keys.join(', ')}], [${values.join(', ')}], ${flags})`;
}

function unwrap(value: unknown, optional: boolean, what: string): { present: boolean; value?: unknown } {
  if (!optional) return { present: true, value };
  if (!(value instanceof Optional)) throw new EvaluationError(`${what}: an optional entry (?) needs an optional value, e.g. optional.of(x) or a.?b`);
  return value.hasValue() ? { present: true, value: value.value() } : { present: false };
}

export function registerOptionalLiterals(env: Environment): void {
  env.registerFunction('k8sListOf(list, list<bool>): list', (items: unknown[], flags: boolean[]) => {
    const out: unknown[] = [];
    items.forEach((item, k) => {
      const entry = unwrap(item, flags[k]!, 'list literal');
      if (entry.present) out.push(entry.value);
    });
    return out;
  });
  env.registerFunction('k8sMapOf(list, list, list<bool>): map', (keys: unknown[], values: unknown[], flags: boolean[]) => {
    const out = new Map<unknown, unknown>();
    keys.forEach((key, k) => {
      if (out.has(key)) throw new EvaluationError(`map literal: duplicate key ${JSON.stringify(String(key))}`);
      const entry = unwrap(values[k], flags[k]!, 'map literal');
      if (entry.present) out.set(key, entry.value);
    });
    return out;
  });
}
