import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import { celCompare, celEquals } from './values';

/**
 * Kubernetes' lists library (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`),
 * cel-go's lists extension v3 (`slice`, `flatten`, `distinct`, `reverse`, `sort`, `lists.range`;
 * `sortBy` is a macro, see comprehensions.ts) and cel-go's sets extension.
 */

class ListsNamespace {}
class SetsNamespace {}

function sum(list: unknown[]): unknown {
  if (list.length === 0) return 0n;
  let total: unknown = list[0];
  for (const item of list.slice(1)) {
    if (typeof total === 'bigint' && typeof item === 'bigint') total = total + item;
    else if (typeof total === 'number' && typeof item === 'number') total = total + item;
    else if (total && item && typeof total === 'object' && 'addDuration' in total) {
      total = (total as { addDuration(d: unknown): unknown }).addDuration(item);
    } else throw new EvaluationError('no such overload: sum() needs a list of one numeric type');
  }
  return total;
}

function extreme(list: unknown[], sign: number, name: string): unknown {
  if (list.length === 0) throw new EvaluationError(`${name}() called on an empty list`);
  let best = list[0];
  for (const item of list.slice(1)) if (celCompare(item, best) * sign > 0) best = item;
  return best;
}

function flatten(list: unknown[], depth: bigint): unknown[] {
  if (depth < 0n) throw new EvaluationError('level must be non-negative');
  const out: unknown[] = [];
  for (const item of list) {
    if (Array.isArray(item) && depth > 0n) out.push(...flatten(item, depth - 1n));
    else out.push(item);
  }
  return out;
}

function distinct(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of list) if (!out.some((seen) => celEquals(seen, item))) out.push(item);
  return out;
}

function contains(list: unknown[], item: unknown): boolean {
  return list.some((candidate) => celEquals(candidate, item));
}

export function registerListsLibrary(env: Environment): void {
  env.registerType('ListsNamespace', ListsNamespace);
  env.registerConstant('lists', 'ListsNamespace', new ListsNamespace());
  env.registerType('SetsNamespace', SetsNamespace);
  env.registerConstant('sets', 'SetsNamespace', new SetsNamespace());

  env.registerFunction('list.isSorted(): bool', (list: unknown[]) => list.every((item, i) => i === 0 || celCompare(list[i - 1], item) <= 0));
  env.registerFunction('list.sum(): dyn', sum);
  env.registerFunction('list.min(): dyn', (list: unknown[]) => extreme(list, -1, 'min'));
  env.registerFunction('list.max(): dyn', (list: unknown[]) => extreme(list, 1, 'max'));
  env.registerFunction('list.k8sIndexOf(dyn): int', (list: unknown[], item: unknown) => BigInt(list.findIndex((x) => celEquals(x, item))));
  env.registerFunction('list.k8sLastIndexOf(dyn): int', (list: unknown[], item: unknown) => {
    for (let i = list.length - 1; i >= 0; i--) if (celEquals(list[i], item)) return BigInt(i);
    return -1n;
  });

  env.registerFunction('list.slice(int, int): list', (list: unknown[], from: bigint, to: bigint) => {
    if (from < 0n || to < 0n) throw new EvaluationError(`cannot slice(${from}, ${to}), negative indexes not supported`);
    if (from > to) throw new EvaluationError(`cannot slice(${from}, ${to}), start index must be less than or equal to end index`);
    if (to > BigInt(list.length)) throw new EvaluationError(`cannot slice(${from}, ${to}), list is length ${list.length}`);
    return list.slice(Number(from), Number(to));
  });
  env.registerFunction('list.flatten(): list', (list: unknown[]) => flatten(list, 1n));
  env.registerFunction('list.flatten(int): list', flatten);
  env.registerFunction('list.distinct(): list', distinct);
  env.registerFunction('list.reverse(): list', (list: unknown[]) => [...list].reverse());
  env.registerFunction('list.sort(): list', (list: unknown[]) => [...list].sort(celCompare));
  env.registerFunction('ListsNamespace.range(int): list<int>', (_: unknown, n: bigint) => Array.from({ length: Number(n) }, (_v, i) => BigInt(i)));

  env.registerFunction('SetsNamespace.contains(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.every((item) => contains(a, item)));
  env.registerFunction('SetsNamespace.equivalent(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => a.every((item) => contains(b, item)) && b.every((item) => contains(a, item)));
  env.registerFunction('SetsNamespace.intersects(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => a.some((item) => contains(b, item)));
}
