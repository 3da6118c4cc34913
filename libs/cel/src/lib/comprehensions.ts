import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import { celCompare } from './values';

/**
 * Macros cel-js lacks or restricts:
 * - `has()` on any field selection (cel-js only accepts chains rooted at a variable, so
 *   `has(self[0].x)` fails there); reached through the `k8sHas` rename in source-rewrite.ts;
 * - two-variable comprehensions: `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)`,
 *   `transformList`, `transformMap`, `transformMapEntry`;
 * - `sortBy(x, key)` from the lists extension.
 * They use cel-js' macro protocol: an expander returns `typeCheck` and `evaluate` hooks.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- cel-js' macro hooks are untyped */
type Node = any;
type Checker = any;
type Evaluator = any;
type Ctx = any;

function identifier(node: Node, what: string): string {
  if (node?.op !== 'id') throw new EvaluationError(`${what}: the iteration variable must be a simple identifier`);
  return node.args as string;
}

function hasField(value: unknown, field: string): boolean {
  if (value === null || value === undefined) return false;
  if (value instanceof Map) return value.has(field);
  if (typeof value !== 'object') throw new EvaluationError(`has() cannot select field '${field}' on a ${typeof value}`);
  if (Array.isArray(value)) throw new EvaluationError(`has() cannot select field '${field}' on a list`);
  return Object.hasOwn(value, field) ? (value as Record<string, unknown>)[field] !== undefined : field in value;
}

function hasMacro({ args }: { args: Node[] }) {
  return {
    async: false,
    arg: args[0],
    typeCheck(checker: Checker, macro: { arg: Node }, ctx: Ctx) {
      const node = macro.arg;
      if (node.op !== '.' && node.op !== '.?') throw checker.createError('invalid_macro_argument', 'has() invalid argument', node);
      checker.check(node.args[0], ctx);
      return checker.getType('bool');
    },
    evaluate(ev: Evaluator, macro: { arg: Node }, ctx: Ctx) {
      const node = macro.arg;
      return hasField(ev.run(node.args[0], ctx), node.args[1]);
    },
  };
}

/** (key, value) pairs of a list (index, element) or a map (key, value). */
function pairsOf(collection: unknown): [unknown, unknown][] {
  if (Array.isArray(collection)) return collection.map((v, i) => [BigInt(i), v]);
  if (collection instanceof Map) return [...collection];
  if (collection && typeof collection === 'object') return Object.entries(collection);
  throw new EvaluationError('expression of type is not a list or map and cannot be the range of a comprehension');
}

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

interface TwoVarMacro {
  receiver: Node;
  key: string;
  value: string;
  body: Node[];
  keyCtx?: Ctx;
  valueCtx?: Ctx;
}

const RESULT_TYPE: Record<Kind, string> = {
  all: 'bool',
  exists: 'bool',
  existsOne: 'bool',
  transformList: 'list',
  transformMap: 'map',
  transformMapEntry: 'map',
};

function twoVariableMacro(kind: Kind) {
  return ({ args, receiver }: { args: Node[]; receiver: Node }) => ({
    async: false,
    receiver,
    key: identifier(args[0], kind),
    value: identifier(args[1], kind),
    body: args.slice(2),
    typeCheck(checker: Checker, m: TwoVarMacro, ctx: Ctx) {
      const rangeType = checker.check(m.receiver, ctx);
      let keyType = checker.getType('dyn');
      let valueType = checker.getType('dyn');
      if (rangeType.kind === 'list') [keyType, valueType] = [checker.getType('int'), rangeType.valueType];
      else if (rangeType.kind === 'map') [keyType, valueType] = [rangeType.keyType, rangeType.valueType];
      else if (rangeType.kind !== 'dyn') throw checker.createError('invalid_comprehension_range', `${rangeType.name} cannot be the range of ${kind}()`, m.receiver);
      m.keyCtx = ctx.forkWithVariable(m.key, keyType);
      m.valueCtx = m.keyCtx.forkWithVariable(m.value, valueType);
      m.body.forEach((node, i) => {
        const type = checker.check(node, m.valueCtx);
        const mustBeBool = (kind === 'all' || kind === 'exists' || kind === 'existsOne') || (m.body.length === 2 && i === 0);
        if (mustBeBool && !type.isDynOrBool()) throw checker.createError('invalid_macro_argument', `${kind}() predicate must return bool, got ${type.name}`, node);
      });
      return checker.getType(RESULT_TYPE[kind]);
    },
    evaluate(ev: Evaluator, m: TwoVarMacro, ctx: Ctx) {
      const keyCtx = m.keyCtx.reuse(ctx);
      const valueCtx = m.valueCtx.reuse(keyCtx);
      const run = (node: Node, k: unknown, v: unknown) => {
        keyCtx.setIterValue(k, ev);
        valueCtx.setIterValue(v, ev);
        return ev.run(node, valueCtx);
      };
      const pairs = pairsOf(ev.run(m.receiver, ctx));
      switch (kind) {
        case 'all':
        case 'exists': {
          const decisive = kind === 'exists';
          let error: unknown;
          for (const [k, v] of pairs) {
            try {
              const result = run(m.body[0], k, v);
              if (typeof result !== 'boolean') throw new EvaluationError(`${kind}() predicate must return bool`);
              if (result === decisive) return decisive;
            } catch (caught) {
              error ??= caught;
            }
          }
          if (error) throw error;
          return !decisive;
        }
        case 'existsOne': {
          let count = 0;
          for (const [k, v] of pairs) if (run(m.body[0], k, v) === true) count++;
          return count === 1;
        }
        case 'transformList': {
          const out: unknown[] = [];
          for (const [k, v] of pairs) {
            if (m.body.length === 2 && run(m.body[0], k, v) !== true) continue;
            out.push(run(m.body[m.body.length - 1], k, v));
          }
          return out;
        }
        case 'transformMap': {
          const out = new Map<unknown, unknown>();
          for (const [k, v] of pairs) {
            if (m.body.length === 2 && run(m.body[0], k, v) !== true) continue;
            out.set(k, run(m.body[m.body.length - 1], k, v));
          }
          return out;
        }
        case 'transformMapEntry': {
          const out = new Map<unknown, unknown>();
          for (const [k, v] of pairs) {
            if (m.body.length === 2 && run(m.body[0], k, v) !== true) continue;
            const entry = run(m.body[m.body.length - 1], k, v);
            for (const [ek, ev2] of entry instanceof Map ? entry : Object.entries(entry as object)) {
              if (out.has(ek)) throw new EvaluationError(`insert failed: key ${String(ek)} already exists`);
              out.set(ek, ev2);
            }
          }
          return out;
        }
      }
    },
  });
}

interface SortByMacro {
  receiver: Node;
  variable: string;
  key: Node;
  keyCtx?: Ctx;
}

function sortByMacro({ args, receiver }: { args: Node[]; receiver: Node }) {
  return {
    async: false,
    receiver,
    variable: identifier(args[0], 'sortBy'),
    key: args[1],
    typeCheck(checker: Checker, m: SortByMacro, ctx: Ctx) {
      const rangeType = checker.check(m.receiver, ctx);
      const elementType = rangeType.kind === 'list' ? rangeType.valueType : checker.getType('dyn');
      m.keyCtx = ctx.forkWithVariable(m.variable, elementType);
      checker.check(m.key, m.keyCtx);
      return rangeType.kind === 'list' ? rangeType : checker.getType('list');
    },
    evaluate(ev: Evaluator, m: SortByMacro, ctx: Ctx) {
      const list = ev.run(m.receiver, ctx);
      if (!Array.isArray(list)) throw new EvaluationError('sortBy() needs a list');
      const keyCtx = m.keyCtx.reuse(ctx);
      const keyed = list.map((item, index) => ({ item, index, key: ev.run(m.key, keyCtx.setIterValue(item, ev)) }));
      keyed.sort((a, b) => celCompare(a.key, b.key) || a.index - b.index);
      return keyed.map((entry) => entry.item);
    },
  };
}

export function registerComprehensions(env: Environment): void {
  env.registerFunction('k8sHas(ast): bool', hasMacro as never);
  env.registerFunction('list.all(ast, ast, ast): bool', twoVariableMacro('all') as never);
  env.registerFunction('list.exists(ast, ast, ast): bool', twoVariableMacro('exists') as never);
  env.registerFunction('list.existsOne(ast, ast, ast): bool', twoVariableMacro('existsOne') as never);
  env.registerFunction('list.transformList(ast, ast, ast): list', twoVariableMacro('transformList') as never);
  env.registerFunction('list.transformList(ast, ast, ast, ast): list', twoVariableMacro('transformList') as never);
  env.registerFunction('list.transformMap(ast, ast, ast): map', twoVariableMacro('transformMap') as never);
  env.registerFunction('list.transformMap(ast, ast, ast, ast): map', twoVariableMacro('transformMap') as never);
  env.registerFunction('list.transformMapEntry(ast, ast, ast): map', twoVariableMacro('transformMapEntry') as never);
  env.registerFunction('list.transformMapEntry(ast, ast, ast, ast): map', twoVariableMacro('transformMapEntry') as never);
  env.registerFunction('list.sortBy(ast, ast): list', sortByMacro as never);
}
