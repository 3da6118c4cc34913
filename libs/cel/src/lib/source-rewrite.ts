import { rewriteOptionalEntries } from './optional-literals';

/**
 * A small CEL lexer used before parsing, for two reasons:
 * - to reject what Kubernetes CEL does not have but cel-js accepts (`cel.bind`, bytes helpers);
 * - to route `matches()` to the RE2 implementation and `has()` to a macro that accepts any operand,
 *   both of which cel-js registers itself and does not let an environment replace.
 * Strings and comments are skipped so that their content is never rewritten.
 */

interface Identifier {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** Identifiers outside strings and comments, in source order. */
export function scanIdentifiers(source: string): Identifier[] {
  const out: Identifier[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipString(source, i, false);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(source[j]!)) j++;
      const word = source.slice(i, j);
      // string prefixes: r"", b"", rb"", br"" (any case)
      if (/^(r|b|rb|br)$/i.test(word) && (source[j] === '"' || source[j] === "'")) {
        i = skipString(source, j, /r/i.test(word));
        continue;
      }
      out.push({ name: word, start: i, end: j });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      // numbers, including 1e10 and 0xFF, so that their letters are not taken for identifiers
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(source[j]!)) {
        if (source[j] === '.' && !/[0-9]/.test(source[j + 1] ?? '')) break;
        j++;
      }
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

function skipString(source: string, start: number, raw: boolean): number {
  const quote = source[start]!;
  const triple = source.startsWith(quote.repeat(3), start);
  const terminator = triple ? quote.repeat(3) : quote;
  let i = start + terminator.length;
  while (i < source.length) {
    if (!raw && source[i] === '\\') {
      i += 2;
      continue;
    }
    if (source.startsWith(terminator, i)) return i + terminator.length;
    if (!triple && source[i] === '\n') return i;
    i++;
  }
  return i;
}

function nextNonSpace(source: string, from: number): number {
  let i = from;
  while (i < source.length && /\s/.test(source[i]!)) i++;
  return i;
}

function previousNonSpace(source: string, from: number): number {
  let i = from - 1;
  while (i >= 0 && /\s/.test(source[i]!)) i--;
  return i;
}

/** Names of byte helpers cel-js has and Kubernetes CEL does not. */
const BYTES_HELPERS = new Set(['json', 'hex', 'base64', 'at', 'string']);

/**
 * Renamed built-ins: cel-js name → name of the Flotilla implementation. cel-js' own versions
 * differ from cel-go (JavaScript regexes, UTF-16 indexes instead of code points, Unicode case
 * mapping in lowerAscii) and cannot be replaced in an environment.
 */
export const RENAMED_FUNCTIONS: Readonly<Record<string, string>> = {
  matches: 're2Matches',
  has: 'k8sHas',
  indexOf: 'k8sIndexOf',
  lastIndexOf: 'k8sLastIndexOf',
  substring: 'k8sSubstring',
  split: 'k8sSplit',
  lowerAscii: 'k8sLowerAscii',
  upperAscii: 'k8sUpperAscii',
};

/** Which renames apply to member calls (`x.f()`), which to global calls (`f(x)`). */
const MEMBER_RENAMES = new Set(['matches', 'indexOf', 'lastIndexOf', 'substring', 'split', 'lowerAscii', 'upperAscii']);
const GLOBAL_RENAMES = new Set(['matches', 'has']);

export interface RewriteResult {
  readonly source: string;
  /** Why Kubernetes CEL would not compile the expression; undefined when it would. */
  readonly rejection?: string;
}

/** Applies the rejections and renames described above, and rewrites optional literal entries. */
export function rewriteSource(original: string): RewriteResult {
  const expression = rewriteOptionalEntries(original);
  const ids = scanIdentifiers(expression);
  let out = '';
  let cursor = 0;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    const after = nextNonSpace(expression, id.end);
    const before = previousNonSpace(expression, id.start);
    const isCall = expression[after] === '(';
    const isMember = before >= 0 && expression[before] === '.';
    if (id.name === 'cel' && expression[after] === '.' && ids[k + 1]?.name === 'bind') {
      return { source: original, rejection: 'cel.bind() is not part of Kubernetes CEL (the bindings extension is not enabled)' };
    }
    if (isCall && isMember && BYTES_HELPERS.has(id.name)) {
      return { source: original, rejection: `bytes.${id.name}() is not part of Kubernetes CEL` };
    }
    const renamed = RENAMED_FUNCTIONS[id.name];
    if (renamed && isCall && (isMember ? MEMBER_RENAMES.has(id.name) : GLOBAL_RENAMES.has(id.name))) {
      out += expression.slice(cursor, id.start) + renamed;
      cursor = id.end;
    }
  }
  return { source: out + expression.slice(cursor) };
}

/** Maps renamed function names in an error message back to the names the user wrote. */
export function restoreNames(message: string): string {
  let text = message;
  for (const [original, renamed] of Object.entries(RENAMED_FUNCTIONS)) text = text.split(renamed).join(original);
  text = text.split('k8sListOf').join('list literal').split('k8sMapOf').join('map literal');
  return text;
}
