import { ParseError, TypeError as CelTypeError } from '@marcbachmann/cel-js';
import { environmentFor } from './environment';
import { CelCompileError, CelEvaluationError, firstLine } from './errors';
import { re2SyntaxError } from './regex';
import { restoreNames, rewriteSource, scanIdentifiers } from './source-rewrite';
import { toCelValue } from './values';

export type CelDialect = 'crd' | 'gatekeeper';

export interface CompileOptions {
  dialect: CelDialect;
  /** Declared top-level variable names, e.g. ['self', 'oldSelf'] for CRD rules or ['object','oldObject','request','namespaceObject','variables','params'] */
  variables: readonly string[];
  /**
   * Fields that exist on the `variables` object (Gatekeeper: `anyObject`, `params` and the template
   * variables defined before this expression). `variables.<other>` is then a compile error, as in
   * Kubernetes where `variables` is a typed object.
   * @default - any field of `variables` is accepted
   */
  variableFields?: readonly string[];
}

export interface CelProgram {
  readonly expression: string;
  evaluate(activation: Record<string, unknown>): unknown;
}

const cache = new Map<string, CelProgram | CelCompileError>();

/**
 * Compiles a Kubernetes/Gatekeeper CEL expression once; the result is cached by
 * (dialect, variables, variable fields, expression), so the same rule on many objects is parsed
 * and type-checked once.
 *
 * @throws CelCompileError when the API server or Gatekeeper would not compile the expression
 */
export function compileCel(expression: string, options: CompileOptions): CelProgram {
  const key = `${options.dialect}\u0000${options.variables.join(',')}\u0000${options.variableFields?.join(',') ?? '*'}\u0000${expression}`;
  let entry = cache.get(key);
  if (!entry) {
    try {
      entry = compileUncached(expression, options);
    } catch (error) {
      if (!(error instanceof CelCompileError)) throw error;
      entry = error;
    }
    cache.set(key, entry);
  }
  if (entry instanceof CelCompileError) throw entry;
  return entry;
}

function compileUncached(expression: string, options: CompileOptions): CelProgram {
  const { source, rejection } = rewriteSource(expression);
  if (rejection) throw new CelCompileError(expression, rejection);
  if (options.variableFields) checkVariableFields(expression, options.variableFields);
  const env = environmentFor(options.variables);
  let parsed: ReturnType<typeof env.parse>;
  try {
    parsed = env.parse(source);
  } catch (error) {
    throw new CelCompileError(expression, restoreNames(firstLine(error)));
  }
  const checked = parsed.check();
  if (!checked.valid) throw new CelCompileError(expression, restoreNames(firstLine(checked.error)));
  checkLiterals(parsed.ast, expression);
  return {
    expression,
    evaluate(activation) {
      let values: Record<string, unknown> = activation;
      if (!isPrepared(activation, options.variables)) {
        values = {};
        for (const name of options.variables) {
          const value = activation[name];
          values[name] = value === undefined ? null : toCelValue(value);
        }
      }
      try {
        return parsed(values);
      } catch (error) {
        if (error instanceof ParseError || error instanceof CelTypeError) throw new CelEvaluationError(expression, restoreNames(firstLine(error)));
        throw new CelEvaluationError(expression, restoreNames(firstLine(error)));
      }
    },
  };
}

const prepared = new WeakSet<object>();

/**
 * Converts an activation once (JSON → CEL values, missing → null) for programs evaluated many
 * times on the same values, e.g. every validation of a template on one object. Values are used
 * as they are afterwards, so do not mutate them.
 */
export function celActivation(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) out[name] = value === undefined ? null : toCelValue(value);
  prepared.add(out);
  return out;
}

function isPrepared(activation: Record<string, unknown>, variables: readonly string[]): boolean {
  if (!prepared.has(activation)) return false;
  for (const name of variables) if (activation[name] === undefined) return false;
  return true;
}

function checkVariableFields(expression: string, fields: readonly string[]): void {
  const ids = scanIdentifiers(expression);
  for (let i = 0; i + 1 < ids.length; i++) {
    const id = ids[i]!;
    const next = ids[i + 1]!;
    const between = expression.slice(id.end, next.start).trim();
    if (id.name !== 'variables' || between !== '.') continue;
    const before = expression.slice(0, id.start).trimEnd();
    if (before.endsWith('.')) continue;
    if (!fields.includes(next.name)) {
      throw new CelCompileError(expression, `undefined field 'variables.${next.name}' (defined before this expression: ${fields.join(', ') || 'none'})`);
    }
  }
}

const REGEX_FUNCTIONS = new Set(['re2Matches', 'find', 'findAll']);
/** Go's time.ParseDuration syntax, e.g. `1h30m`, `-1.5s`, `0`. */
const GO_DURATION = /^[-+]?(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*$/;
/** RFC 3339 timestamps, as cel-go parses `timestamp("…")`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function name_(args: unknown): unknown {
  return Array.isArray(args) ? args[0] : undefined;
}

/**
 * Checks what Kubernetes validates at compile time and cel-js does not: regex, duration and
 * timestamp literals must be valid, and list literals may not mix literal element types (`[1, "a"]`).
 */
function checkLiterals(root: unknown, expression: string): void {
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const { op, args } = node as { op?: string; args?: unknown };
    if (op === 'rcall' || op === 'call') {
      const [name, ...rest] = args as [string, ...unknown[]];
      const callArgs = (op === 'rcall' ? rest[1] : rest[0]) as { op: string; args: unknown }[];
      const patternNode = op === 'call' && name === 're2Matches' ? callArgs[1] : callArgs[0];
      if (REGEX_FUNCTIONS.has(name) && patternNode?.op === 'value' && typeof patternNode.args === 'string') {
        const reason = re2SyntaxError(patternNode.args);
        if (reason) throw new CelCompileError(expression, `invalid regular expression ${JSON.stringify(patternNode.args)}: ${reason}`);
      }
    }
    if (op === 'call' && (name_(args) === 'duration' || name_(args) === 'timestamp')) {
      const [fn, callArgs] = args as [string, { op: string; args: unknown }[]];
      const literal = callArgs[0];
      if (callArgs.length === 1 && literal?.op === 'value' && typeof literal.args === 'string') {
        const ok = fn === 'duration' ? GO_DURATION.test(literal.args) : RFC3339.test(literal.args) && !Number.isNaN(Date.parse(literal.args));
        if (!ok) throw new CelCompileError(expression, `invalid ${fn} literal ${JSON.stringify(literal.args)}`);
      }
    }
    if (op === 'list') checkHomogeneous(args as LiteralNode[], 'list literal mixes element types', expression);
    if (op === 'map') {
      const entries = args as [LiteralNode, LiteralNode][];
      checkHomogeneous(entries.map((e) => e[0]), 'map literal mixes key types', expression);
      checkHomogeneous(entries.map((e) => e[1]), 'map literal mixes value types', expression);
    }
    if (args && typeof args === 'object') Object.values(args).forEach(visit);
  };
  visit(root);
}

type LiteralNode = { op: string; args: unknown };

function checkHomogeneous(nodes: LiteralNode[], what: string, expression: string): void {
  const kinds = new Set(nodes.filter((e) => e?.op === 'value' && e.args !== null).map((e) => literalKind(e.args)));
  if (kinds.size > 1) throw new CelCompileError(expression, `${what} ${[...kinds].join(', ')}; wrap them in dyn() to mix them`);
}

function literalKind(value: unknown): string {
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value;
}
