/**
 * Typed Helm values from a chart's `values.schema.json`: one interface per vendored chart version,
 * with the chart's own keys (json2jsii would camel-case `enable_development_logging` or
 * `bitwarden-sdk-server` and need a converter; Helm reads the keys as written).
 *
 * Every value is optional: a release sets overrides, and Helm fills the rest from the chart's
 * defaults before it checks `required`. Objects the schema leaves open take any other key.
 */
import type { HelmValuesEntry, SchemaNode } from '@flotilla/schemas';

export const HELM_VALUES_FOLDER = 'helm-values';

/** `external-secrets` → `ExternalSecretsChartValues`, `iam-chart` → `IamChartValues`. */
export function valuesTypeName(chart: string): string {
  return `${pascal(chart.replace(/-chart$/, ''))}ChartValues`;
}

/** `external-secrets` → `externalSecretsChart` (the chart and version the type belongs to). */
export function chartConstName(chart: string): string {
  const name = pascal(chart.replace(/-chart$/, ''));
  return `${name[0]!.toLowerCase()}${name.slice(1)}Chart`;
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const isObject = (value: unknown): value is SchemaNode => typeof value === 'object' && value !== null && !Array.isArray(value);

function literal(value: unknown): string | undefined {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return undefined;
}

function union(types: readonly string[]): string {
  const unique = [...new Set(types)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.length === 0 ? 'unknown' : unique.join(' | ');
}

/** The TypeScript type of one schema node, `indent` being the current nesting depth. */
function typeOf(node: unknown, indent: number): string {
  if (node === true || node === undefined) return 'unknown';
  if (node === false) return 'never';
  if (!isObject(node)) return 'unknown';
  if (node.const !== undefined) return literal(node.const) ?? 'unknown';
  if (Array.isArray(node.enum)) {
    const literals = node.enum.map(literal);
    if (literals.every((l): l is string => l !== undefined)) return union(literals);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(node[key])) {
      const { [key]: branches, ...rest } = node;
      const base = Object.keys(rest).some((k) => k === 'type' || k === 'properties') ? typeOf(rest, indent) : undefined;
      const alternatives = union((branches as unknown[]).map((branch) => typeOf(branch, indent)));
      return base && base !== 'unknown' && alternatives !== 'unknown' ? `(${base}) & (${alternatives})` : alternatives === 'unknown' && base ? base : alternatives;
    }
  }
  const types = (Array.isArray(node.type) ? node.type : node.type !== undefined ? [node.type] : node.properties ? ['object'] : []) as string[];
  if (types.length === 0) return 'unknown';
  return union(types.map((type) => scalar(type, node, indent)));
}

function scalar(type: string, node: SchemaNode, indent: number): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `readonly ${wrap(Array.isArray(node.items) ? 'unknown' : typeOf(node.items, indent))}[]`;
    case 'object':
      return objectType(node, indent);
    default:
      return 'unknown';
  }
}

/** Parenthesises unions and intersections before `[]`. */
function wrap(type: string): string {
  return /[|&]/.test(type) && !type.startsWith('{') ? `(${type})` : type;
}

function objectType(node: SchemaNode, indent: number): string {
  const properties = isObject(node.properties) ? (node.properties as Record<string, unknown>) : {};
  const pad = '  '.repeat(indent + 1);
  const lines: string[] = [];
  for (const name of Object.keys(properties)) {
    const key = IDENTIFIER.test(name) ? name : literal(name)!;
    lines.push(`${pad}readonly ${key}?: ${typeOf(properties[name], indent + 1)};`);
  }
  const extra = node.additionalProperties;
  if (extra !== false) {
    // Open objects accept any other key; a typed `additionalProperties` types them (known keys must fit it too).
    const known = Object.keys(properties).map((name) => typeOf(properties[name], indent + 1));
    const value = isObject(extra) ? union([typeOf(extra, indent + 1), ...known, 'undefined']) : 'unknown';
    lines.push(`${pad}readonly [key: string]: ${value};`);
  }
  if (lines.length === 0) return 'Record<string, never>';
  if (Object.keys(properties).length === 0 && extra !== false && !isObject(extra)) return '{ readonly [key: string]: unknown }';
  return `{\n${lines.join('\n')}\n${'  '.repeat(indent)}}`;
}

/** One generated module: the chart's values interface and the chart/version it belongs to. */
export function helmValuesModule(entry: HelmValuesEntry, command: string): { path: string; content: string } {
  const name = valuesTypeName(entry.chart);
  const body = typeOf({ ...entry.schema, type: 'object' }, 0);
  return {
    path: `${HELM_VALUES_FOLDER}/${entry.chart}.ts`,
    content: [
      `// Generated by \`${command}\` from values.schema.json of chart ${entry.chart} ${entry.version} (${entry.origin}). Do not edit.`,
      '/* eslint-disable */',
      '',
      `/** The chart and version ${name} was generated from; bumping the pin without vendoring its schema fails synth. */`,
      `export const ${chartConstName(entry.chart)} = { name: '${entry.chart}', version: '${entry.version}' } as const;`,
      '',
      `/** Values of chart ${entry.chart} ${entry.version}, as its values.schema.json describes them (every key optional: Helm fills in the chart defaults). */`,
      `export interface ${name} ${body}`,
      '',
    ].join('\n'),
  };
}

/** Modules for every vendored chart, plus the folder's index; one version per chart. */
export function helmValuesModules(entries: readonly HelmValuesEntry[], command: string): { path: string; content: string }[] {
  if (entries.length === 0) return [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const previous = seen.get(entry.chart);
    if (previous) throw new Error(`chart ${entry.chart} is vendored twice (${previous} and ${entry.version}); keep one version per chart in libs/upstream/sources.json`);
    seen.set(entry.chart, entry.version);
  }
  const modules = entries.map((entry) => helmValuesModule(entry, command)).sort((a, b) => (a.path < b.path ? -1 : 1));
  const index = [
    `// Generated by \`${command}\` from the vendored chart values schemas (index). Do not edit.`,
    '/* eslint-disable */',
    '',
    ...modules.map((m) => `export * from './${m.path.slice(HELM_VALUES_FOLDER.length + 1, -3)}';`),
    '',
  ].join('\n');
  return [...modules, { path: `${HELM_VALUES_FOLDER}/index.ts`, content: index }];
}
