import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import { typeNameOf } from './values';

/**
 * The parts of cel-go's strings extension (version 2, what Kubernetes enables) that cel-js lacks:
 * `replace`, `charAt`, `format` and `strings.quote`.
 */

class StringsNamespace {}

function replace(s: string, from: string, to: string, limit: bigint): string {
  if (limit === 0n) return s;
  if (limit < 0n) return s.split(from).join(to);
  let out = '';
  let rest = s;
  let count = 0n;
  while (count < limit) {
    const at = from === '' ? (count === 0n ? 0 : 1) : rest.indexOf(from);
    if (at < 0 || (from === '' && at > rest.length)) break;
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + from.length);
    count++;
    if (from === '' && rest === '') break;
  }
  return out + rest;
}

/** Formats one value the way cel-go's `%s` does. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return formatDouble(value);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${formatValue(k)}: ${formatValue(v)}`).join(', ')}}`;
  if (value instanceof Date) return value.toISOString().replace('.000Z', 'Z');
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value as object).map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ')}}`;
  }
  return String(value);
}

function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return String(value);
}

function toNumber(value: unknown, verb: string): number | bigint {
  if (typeof value === 'bigint' || typeof value === 'number') return value;
  if (value && typeof value === 'object' && value.constructor?.name === 'UnsignedInt') return (value as { valueOf(): bigint }).valueOf();
  throw new EvaluationError(`error during formatting: ${verb} expects a number, got ${typeNameOf(value)}`);
}

/** cel-go `"…".format([args])`: verbs %s %d %f %e %b %o %x %X and %%, with `.N` precision. */
export function formatString(template: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    let j = i + 1;
    let precision: number | undefined;
    if (template[j] === '.') {
      let k = j + 1;
      while (/[0-9]/.test(template[k] ?? '')) k++;
      precision = Number(template.slice(j + 1, k));
      j = k;
    }
    const verb = template[j];
    if (verb === '%') {
      out += '%';
      i = j;
      continue;
    }
    if (verb === undefined) throw new EvaluationError('error during formatting: unterminated format verb');
    if (next >= args.length) throw new EvaluationError(`index ${next} out of range`);
    const arg = args[next++];
    switch (verb) {
      case 's':
        out += formatValue(arg);
        break;
      case 'd': {
        const n = toNumber(arg, '%d');
        if (typeof n === 'number' && !Number.isInteger(n)) throw new EvaluationError('error during formatting: decimal clause can only be used on integers');
        out += String(n);
        break;
      }
      case 'f':
        out += Number(toNumber(arg, '%f')).toFixed(precision ?? 6);
        break;
      case 'e': {
        const text = Number(toNumber(arg, '%e')).toExponential(precision ?? 6);
        out += text.replace(/e([+-])(\d)$/, 'e$10$2');
        break;
      }
      case 'b':
      case 'o':
      case 'x':
      case 'X': {
        const radix = verb === 'b' ? 2 : verb === 'o' ? 8 : 16;
        let text: string;
        if (typeof arg === 'string') text = Buffer.from(arg, 'utf8').toString('hex');
        else text = BigInt(toNumber(arg, `%${verb}`)).toString(radix);
        out += verb === 'X' ? text.toUpperCase() : text;
        break;
      }
      default:
        throw new EvaluationError(`error during formatting: unrecognized formatting clause "${verb}"`);
    }
    i = j;
  }
  return out;
}

/** Go's strconv.Quote for printable text: escapes quotes, backslashes and control characters. */
export function quoteString(s: string): string {
  return JSON.stringify(s).replace(/\\u0007/g, '\\a').replace(/\\u000b/g, '\\v');
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Code points of `s` (only computed when `s` has characters outside the BMP). */
function codePoints(s: string): string[] | undefined {
  return SURROGATE.test(s) ? [...s] : undefined;
}

function outOfRange(what: string, index: bigint): never {
  throw new EvaluationError(`${what}: index out of range: ${index}`);
}

/** cel-go indexOf: code-point offsets, error when the offset is outside the string. */
function indexOf(s: string, sub: string, offset: bigint): bigint {
  const cps = codePoints(s);
  const length = BigInt(cps ? cps.length : s.length);
  if (offset < 0n || offset > length) outOfRange('indexOf', offset);
  if (!cps && !SURROGATE.test(sub)) return BigInt(s.indexOf(sub, Number(offset)));
  const chars = cps ?? [...s];
  const needle = [...sub];
  for (let i = Number(offset); i + needle.length <= chars.length; i++) {
    if (needle.every((c, k) => chars[i + k] === c)) return BigInt(i);
  }
  return -1n;
}

function lastIndexOf(s: string, sub: string, offset?: bigint): bigint {
  const chars = codePoints(s) ?? s.split('');
  const needle = [...sub];
  const start = offset ?? BigInt(chars.length);
  if (start < 0n || start > BigInt(chars.length)) outOfRange('lastIndexOf', start);
  for (let i = Math.min(Number(start), chars.length - needle.length); i >= 0; i--) {
    if (needle.every((c, k) => chars[i + k] === c)) return BigInt(i);
  }
  return -1n;
}

function substring(s: string, start: bigint, end?: bigint): string {
  const chars = codePoints(s);
  const length = BigInt(chars ? chars.length : s.length);
  const stop = end ?? length;
  if (start < 0n || start > length) outOfRange('substring', start);
  if (stop < start || stop > length) outOfRange('substring', stop);
  return chars ? chars.slice(Number(start), Number(stop)).join('') : s.slice(Number(start), Number(stop));
}

/** cel-go split: `""` splits into code points; n == 0 → [], n < 0 → all parts, n > 0 → at most n. */
function split(s: string, separator: string, n: bigint): string[] {
  if (n === 0n) return [];
  const parts = separator === '' ? [...s] : s.split(separator);
  if (n < 0n || BigInt(parts.length) <= n) return parts;
  const head = parts.slice(0, Number(n) - 1);
  const rest = separator === '' ? [...s].slice(Number(n) - 1).join('') : parts.slice(Number(n) - 1).join(separator);
  return [...head, rest];
}

const asciiCase = (s: string, upper: boolean) => s.replace(upper ? /[a-z]+/g : /[A-Z]+/g, (m) => (upper ? m.toUpperCase() : m.toLowerCase()));

export function registerStringsLibrary(env: Environment): void {
  env.registerFunction('string.k8sIndexOf(string): int', (s: string, sub: string) => indexOf(s, sub, 0n));
  env.registerFunction('string.k8sIndexOf(string, int): int', indexOf);
  env.registerFunction('string.k8sLastIndexOf(string): int', (s: string, sub: string) => lastIndexOf(s, sub));
  env.registerFunction('string.k8sLastIndexOf(string, int): int', lastIndexOf);
  env.registerFunction('string.k8sSubstring(int): string', (s: string, start: bigint) => substring(s, start));
  env.registerFunction('string.k8sSubstring(int, int): string', substring);
  env.registerFunction('string.k8sSplit(string): list<string>', (s: string, sep: string) => split(s, sep, -1n));
  env.registerFunction('string.k8sSplit(string, int): list<string>', split);
  env.registerFunction('string.k8sLowerAscii(): string', (s: string) => asciiCase(s, false));
  env.registerFunction('string.k8sUpperAscii(): string', (s: string) => asciiCase(s, true));
  env.registerType('StringsNamespace', StringsNamespace);
  env.registerConstant('strings', 'StringsNamespace', new StringsNamespace());
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => replace(s, a, b, -1n));
  env.registerFunction('string.replace(string, string, int): string', replace);
  env.registerFunction('string.charAt(int): string', (s: string, index: bigint) => {
    const chars = [...s];
    if (index < 0n || index > BigInt(chars.length)) throw new EvaluationError(`index out of range: ${index}`);
    return chars[Number(index)] ?? '';
  });
  env.registerFunction('string.format(list): string', (s: string, args: unknown[]) => formatString(s, args));
  env.registerFunction('StringsNamespace.quote(string): string', (_: unknown, s: string) => quoteString(s));
}
