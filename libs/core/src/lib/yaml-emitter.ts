/**
 * A YAML emitter for plain JSON data (what Kubernetes objects are once rendered).
 *
 * Why not the `yaml` package: it is the single largest cost of a synth (about 4 MB/s, see
 * docs/benchmarks.md); this emitter handles only JSON values and runs close to JSON.stringify.
 * Output is block style, keys in the order given, and every scalar that a YAML 1.1 or 1.2 parser
 * could read as anything but the same string is double-quoted, so Flux (go-yaml), kustomize and
 * the `yaml` package all read back exactly the input (see yaml-emitter.test.ts).
 */
export function emitYaml(value: unknown): string {
  if (isMap(value)) return Object.keys(value).length === 0 ? '{}\n' : emitMap(value, '');
  if (Array.isArray(value)) return value.length === 0 ? '[]\n' : emitSequence(value, '');
  return `${scalar(value, '')}\n`;
}

function emitMap(map: Record<string, unknown>, indent: string): string {
  let out = '';
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    out += `${indent}${plainOrQuoted(key)}:${valueAfterKey(value, indent)}`;
  }
  return out;
}

function emitSequence(items: readonly unknown[], indent: string): string {
  let out = '';
  for (const item of items) {
    if (isMap(item) && Object.keys(item).length > 0) {
      // First key on the dash line, the rest aligned under it.
      const body = emitMap(item, `${indent}  `);
      out += `${indent}- ${body.slice(indent.length + 2)}`;
    } else if (Array.isArray(item) && item.length > 0) {
      const body = emitSequence(item, `${indent}  `);
      out += `${indent}- ${body.slice(indent.length + 2)}`;
    } else {
      out += `${indent}- ${inline(item, `${indent}  `)}\n`;
    }
  }
  return out;
}

function valueAfterKey(value: unknown, indent: string): string {
  if (isMap(value)) {
    return Object.keys(value).length === 0 ? ' {}\n' : `\n${emitMap(value, `${indent}  `)}`;
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? ' []\n' : `\n${emitSequence(value, `${indent}  `)}`;
  }
  return ` ${inline(value, `${indent}  `)}\n`;
}

function inline(value: unknown, indent: string): string {
  if (isMap(value)) return '{}';
  if (Array.isArray(value)) return '[]';
  return scalar(value, indent);
}

function scalar(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot render the number ${value} in YAML; use a finite number`);
    return String(value);
  }
  if (typeof value === 'string') return stringScalar(value, indent);
  throw new Error(`cannot render a ${typeof value} in YAML; rendered objects must be plain JSON`);
}

function stringScalar(text: string, indent: string): string {
  if (text.includes('\n') && literalBlockSafe(text)) {
    const chomp = text.endsWith('\n') ? '' : '-';
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    const lines = body.split('\n').map((line) => (line.length > 0 ? `${indent}${line}` : ''));
    return `|${chomp}\n${lines.join('\n')}`;
  }
  return plainOrQuoted(text);
}

// Literal blocks keep multi-line text (CEL, policies, scripts) readable. Fall back to quotes for
// anything a block cannot carry exactly: leading spaces or blank lines, whitespace-only lines,
// trailing blank lines, carriage returns and other control characters.
function literalBlockSafe(text: string): boolean {
  if (text.startsWith(' ') || text.startsWith('\n') || text.startsWith('\t')) return false;
  if (text.endsWith('\n\n') || /[\r\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(text)) return false;
  for (const line of text.split('\n')) {
    if (line.length > 0 && line.trim().length === 0) return false;
    if (line.endsWith(' ') || line.endsWith('\t')) return false;
  }
  return true;
}

// Plain (unquoted) only when no YAML 1.1 or 1.2 parser can read it as a bool, null, number,
// timestamp, or as YAML syntax: a conservative allow-list, everything else double-quoted.
const PLAIN = /^[A-Za-z_/][\w./@+-]*(?: [\w./@+(),'-]+)*$/;
const PLAIN_QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|s|h|ms)$/;
const RESERVED = new Set([
  'y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', '~',
]);

function plainOrQuoted(text: string): string {
  if ((PLAIN.test(text) && !RESERVED.has(text.toLowerCase())) || PLAIN_QUANTITY.test(text)) return text;
  return JSON.stringify(text);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
