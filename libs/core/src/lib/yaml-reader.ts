import { emitYaml } from './yaml-emitter';

/**
 * Reads YAML that {@link emitYaml} wrote: block maps and sequences, plain or JSON-quoted scalars
 * and literal blocks. A scoped synth reads every other unit's committed files for its cross-object
 * checks, and this runs an order of magnitude faster than a general YAML parser.
 *
 * Returns `undefined` for anything else (hand-written YAML, anchors, flow style, comments inside a
 * document), and for any text that does not re-emit byte for byte, so callers fall back to the
 * `yaml` package and never get a wrong answer.
 */
export function readEmittedYaml(text: string): unknown[] | undefined {
  const documents: unknown[] = [];
  let lines = text.split('\n');
  while (lines.length > 0 && lines[0].startsWith('#')) lines = lines.slice(1);
  const chunks: string[][] = [[]];
  for (const line of lines) {
    if (line === '---') chunks.push([]);
    else chunks[chunks.length - 1].push(line);
  }
  for (const chunk of chunks) {
    if (chunk.length > 0 && chunk[chunk.length - 1] === '') chunk.pop();
    if (chunk.length === 0) continue;
    const source = `${chunk.join('\n')}\n`;
    let value: unknown;
    try {
      value = new Reader(chunk).document();
    } catch {
      return undefined;
    }
    if (emitYaml(value) !== source) return undefined;
    documents.push(value);
  }
  return documents;
}

class NotEmitted extends Error {}

class Reader {
  private position = 0;

  constructor(private readonly lines: string[]) {}

  document(): unknown {
    const first = this.lines[0];
    const value = first.startsWith('- ') || first.includes(':') ? this.block(0) : this.scalar(first, 0);
    if (this.position < this.lines.length && !first.startsWith('- ') && !first.includes(':')) this.position = this.lines.length;
    if (this.position !== this.lines.length) throw new NotEmitted();
    return value;
  }

  private block(indent: number): unknown {
    const line = this.lines[this.position];
    return line.startsWith(`${' '.repeat(indent)}- `) ? this.sequence(indent) : this.map(indent);
  }

  private map(indent: number): Record<string, unknown> {
    const prefix = ' '.repeat(indent);
    const result: Record<string, unknown> = {};
    while (this.position < this.lines.length) {
      const line = this.lines[this.position];
      if (!line.startsWith(prefix) || line[indent] === ' ' || line.startsWith(`${prefix}- `)) break;
      const [key, rest] = splitKey(line.slice(indent));
      this.position++;
      if (rest === '') {
        const next = this.lines[this.position];
        if (next === undefined || !next.startsWith(`${prefix}  `)) throw new NotEmitted();
        result[key] = this.block(indent + 2);
      } else {
        result[key] = this.scalar(rest, indent + 2);
      }
    }
    return result;
  }

  private sequence(indent: number): unknown[] {
    const dash = `${' '.repeat(indent)}- `;
    const items: unknown[] = [];
    while (this.position < this.lines.length && this.lines[this.position].startsWith(dash)) {
      const rest = this.lines[this.position].slice(dash.length);
      if (rest.startsWith('- ') || (splitKeyOrUndefined(rest) && !rest.startsWith('"'))) {
        // `- key: v` / `- - x`: the item's first line continues at indent + 2.
        this.lines[this.position] = `${' '.repeat(indent + 2)}${rest}`;
        items.push(this.block(indent + 2));
      } else if (rest.startsWith('"') && splitKeyOrUndefined(rest)) {
        this.lines[this.position] = `${' '.repeat(indent + 2)}${rest}`;
        items.push(this.map(indent + 2));
      } else {
        this.position++;
        items.push(this.scalar(rest, indent + 2));
      }
    }
    return items;
  }

  private scalar(token: string, indent: number): unknown {
    if (token === '|' || token === '|-') return this.literal(indent, token === '|');
    if (token.startsWith('"')) return JSON.parse(token) as string;
    if (token === 'null') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === '{}') return {};
    if (token === '[]') return [];
    if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(token)) return Number(token);
    return token;
  }

  private literal(indent: number, keepNewline: boolean): string {
    const prefix = ' '.repeat(indent);
    const body: string[] = [];
    while (this.position < this.lines.length) {
      const line = this.lines[this.position];
      if (line === '') body.push('');
      else if (line.startsWith(prefix)) body.push(line.slice(indent));
      else break;
      this.position++;
    }
    while (body.length > 0 && body[body.length - 1] === '') {
      body.pop();
      this.position--;
    }
    return body.join('\n') + (keepNewline ? '\n' : '');
  }
}

function splitKey(text: string): [string, string] {
  const split = splitKeyOrUndefined(text);
  if (!split) throw new NotEmitted();
  return split;
}

function splitKeyOrUndefined(text: string): [string, string] | undefined {
  if (text.startsWith('"')) {
    let end = 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (text[end + 1] !== ':') return undefined;
    const rest = text.slice(end + 2);
    if (rest !== '' && !rest.startsWith(' ')) return undefined;
    return [JSON.parse(text.slice(0, end + 1)) as string, rest.slice(1)];
  }
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const rest = text.slice(colon + 1);
  if (rest !== '' && !rest.startsWith(' ')) return undefined;
  return [text.slice(0, colon), rest.slice(1)];
}
