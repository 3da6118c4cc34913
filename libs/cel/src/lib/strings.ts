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

export function registerStringsLibrary(env: Environment): void {
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
