/**
 * Compiles and evaluates every `x-kubernetes-validations` rule of the bundled CRDs.
 * Each rule runs against a sample value synthesised from the schema node it sits on (required
 * fields filled, enums/defaults/formats respected), so the report tells which rules compile, which
 * evaluate, and which fail at runtime and why (missing optional fields, unsupported functions…).
 *   tsx libs/validate/scripts/cel-report.ts [--verbose]
 */
import { CelCompileError, CelEvaluationError, compileCel } from '@flotilla/cel';
import { SchemaCatalog, type SchemaNode } from '@flotilla/schemas';
import { applyDefaults } from '../src';

const verbose = process.argv.includes('--verbose');

function sample(node: SchemaNode | undefined, depth = 0): unknown {
  if (!node || depth > 12) return {};
  if (node.default !== undefined) return node.default;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum.find((v) => v !== null) ?? node.enum[0];
  if (node['x-kubernetes-int-or-string']) return 1;
  switch (node.type) {
    case 'string':
      return node.format === 'date-time' ? '2026-01-01T00:00:00Z' : node.format === 'duration' ? '1m' : 'a'.repeat(Math.max(1, Number(node.minLength ?? 1)));
    case 'integer':
    case 'number':
      return Number(node.minimum ?? 1);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: Number(node.minItems ?? 0) }, () => sample(node.items as SchemaNode, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      const properties = (node.properties ?? {}) as Record<string, SchemaNode>;
      for (const name of (node.required as string[] | undefined) ?? []) if (properties[name]) out[name] = sample(properties[name], depth + 1);
      return out;
    }
  }
}

export interface Outcome {
  kind: string;
  path: string;
  rule: string;
  result: 'true' | 'false' | 'transition' | 'compile-error' | 'runtime-error';
  reason?: string;
}

const outcomes: Outcome[] = [];
function visit(kind: string, node: SchemaNode, path: string): void {
  for (const entry of (node['x-kubernetes-validations'] as { rule: string }[] | undefined) ?? []) {
    const base = { kind, path: path || '(root)', rule: entry.rule };
    let program;
    try {
      program = compileCel(entry.rule, { dialect: 'crd', variables: ['self', 'oldSelf'] });
    } catch (error) {
      outcomes.push({ ...base, result: 'compile-error', reason: error instanceof CelCompileError ? error.reason : String(error) });
      continue;
    }
    // Strings are "a" unless the rule parses them as durations; the API server defaults before evaluating.
    const raw = /duration\(self\)/.test(entry.rule) && node.type === 'string' ? '1m' : sample(node);
    const self = applyDefaults(node, raw);
    const transition = /\boldSelf\b/.test(entry.rule);
    try {
      const value = program.evaluate({ self, oldSelf: transition ? self : undefined });
      outcomes.push({ ...base, result: transition ? 'transition' : value === true ? 'true' : 'false' });
    } catch (error) {
      outcomes.push({ ...base, result: 'runtime-error', reason: error instanceof CelEvaluationError ? error.reason : String(error) });
    }
  }
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) visit(kind, child, path ? `${path}.${name}` : name);
  if (node.items && typeof node.items === 'object') visit(kind, node.items as SchemaNode, `${path}[]`);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') visit(kind, node.additionalProperties as SchemaNode, `${path}{}`);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) for (const branch of (node[key] as SchemaNode[] | undefined) ?? []) visit(kind, branch, path);
}

/** Compiles and evaluates every bundled CRD rule on a synthesised sample of its schema node. */
export function celReport(): { kinds: number; outcomes: Outcome[] } {
  outcomes.length = 0;
  const catalog = SchemaCatalog.load();
  let kinds = 0;
  for (const key of catalog.allKinds().sort()) {
    const kind = key.split('/').pop()!;
    const info = catalog.find(key.slice(0, key.length - kind.length - 1), kind);
    kinds++;
    if (info && info.family !== 'kubernetes') visit(key, info.schema, '');
  }
  return { kinds, outcomes: [...outcomes] };
}

function main(): void {
  const { kinds, outcomes: all } = celReport();
  const count = (result: Outcome['result']) => all.filter((o) => o.result === result).length;
  console.log(`kinds with schemas (Kubernetes 1.35 built-ins + CRD versions): ${kinds}`);
  console.log(`CEL rules: ${all.length}; compile: ${all.length - count('compile-error')}; compile errors: ${count('compile-error')}`);
  console.log(`evaluated on a synthesised sample: ${count('true')} true, ${count('false')} false, ${count('transition')} transition rules (oldSelf = self), ${count('runtime-error')} runtime errors`);
  const reasons = new Map<string, number>();
  for (const o of all.filter((o) => o.result === 'runtime-error' || o.result === 'compile-error')) reasons.set(o.reason ?? '?', (reasons.get(o.reason ?? '?') ?? 0) + 1);
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${reason}`);
  if (verbose) for (const o of all.filter((o) => o.result.endsWith('error'))) console.log(`${o.kind} ${o.path}: ${o.reason}\n    ${o.rule}`);
}

if (process.argv[1] && process.argv[1].endsWith('cel-report.ts')) main();
