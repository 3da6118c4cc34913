import { load, Type, FAILSAFE_SCHEMA } from 'js-yaml';

/**
 * A fast path for plain YAML documents. `yaml` builds a full CST and AST for every document, which
 * caps `flotilla validate` near 5,000 objects/s; js-yaml loads the same documents about 8× faster.
 * Only documents that cannot differ between the two take it: no anchors, aliases, tags or merge
 * keys (any `&`, `*`, `!` or `<<`), and scalars resolved exactly as `yaml` resolves them (YAML 1.2
 * core schema: no timestamps, no `_` in numbers). Everything else, and every document js-yaml
 * rejects, goes through `yaml`, whose errors name the line and column.
 */

/** First characters a YAML 1.2 core null, bool, int or float can start with; other scalars are strings (checked first: it is most of them). */
const NON_STRING_START = new Set([...'~nNtTfF0123456789+-.']);
const mayBeScalar = (data: string | null): data is string => data !== null && NON_STRING_START.has(data[0]!);

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || data === '' || (mayBeScalar(data) && /^(?:~|null|Null|NULL)$/.test(data)),
  construct: () => null,
});
const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => mayBeScalar(data) && /^(?:true|True|TRUE|false|False|FALSE)$/.test(data),
  construct: (data: string) => data === 'true' || data === 'True' || data === 'TRUE',
});
const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => mayBeScalar(data) && /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(data),
  construct: (data: string) =>
    data.startsWith('0o') ? parseInt(data.slice(2), 8) : data.startsWith('0x') ? parseInt(data.slice(2), 16) : Number(data),
});
const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    mayBeScalar(data) && /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(data),
  construct: (data: string) => {
    if (/nan$/i.test(data)) return Number.NaN;
    if (/inf$/i.test(data)) return data.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return Number(data);
  },
});

/** YAML 1.2 core schema, as `yaml` resolves plain scalars by default. */
const CORE_1_2 = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });

/** One document of a multi-document file: its text (from its `---` line on) and first line (1-based). */
export interface DocumentText {
  readonly text: string;
  readonly line: number;
}

/**
 * Splits a file at its `---` lines. A `---` at the start of a line always starts a document (it
 * ends any block scalar), so this split is exact; a file with directives (`%`) or document-end
 * markers (`...`) is returned whole (undefined) for `yaml` to read. Text before the first `---`
 * is a document only when it holds more than comments, as in `yaml`.
 */
export function splitDocuments(content: string): DocumentText[] | undefined {
  if (/^(?:%|\.\.\.(?:[ \t]|\r?$))/m.test(content)) return undefined;
  const docs: DocumentText[] = [];
  const starts = /^---(?:[ \t]|\r?$)/gm;
  let previous = 0;
  let previousLine = 1;
  let line = 1;
  let scanned = 0;
  const lineAt = (offset: number) => {
    for (let i = content.indexOf('\n', scanned); i >= 0 && i < offset; i = content.indexOf('\n', i + 1)) line++;
    scanned = offset;
    return line;
  };
  for (let match = starts.exec(content); match; match = starts.exec(content)) {
    if (match.index > 0 || previous > 0) pushDocument(docs, content.slice(previous, match.index), previousLine, previous === 0 && !content.startsWith('---'));
    previous = match.index;
    previousLine = lineAt(match.index);
  }
  pushDocument(docs, content.slice(previous), previousLine, previous === 0 && !/^---(?:[ \t]|\r?$)/.test(content));
  return docs;
}

function pushDocument(docs: DocumentText[], text: string, line: number, beforeFirstMarker: boolean): void {
  if (beforeFirstMarker && !/^[ \t]*[^#\s]/m.test(text)) return;
  docs.push({ text, line });
}

const UNSAFE = /[&*!]|<</;

/**
 * The value of one document when the fast path can read it exactly as `yaml` would, else undefined
 * (the caller then uses `yaml`).
 */
export function fastLoad(text: string): { value: unknown } | undefined {
  if (UNSAFE.test(text)) return undefined;
  try {
    return { value: load(text, { schema: CORE_1_2, json: false }) };
  } catch {
    return undefined;
  }
}
