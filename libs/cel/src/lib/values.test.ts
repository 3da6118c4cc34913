import { describe, expect, it } from 'vitest';
import { compileCel } from './compile';
import { celEquals, celLazyObject, fromCelValue, toCelValue } from './values';

describe('CEL values', () => {
  it('converts JSON once per object, integers to BigInt', () => {
    const json = { a: 1, b: 1.5, c: [2, { d: 3 }] };
    const converted = toCelValue(json);
    expect(converted).toEqual({ a: 1n, b: 1.5, c: [2n, { d: 3n }] });
    expect(toCelValue(json)).toBe(converted);
    expect(fromCelValue(converted)).toEqual(json);
  });

  it('compares numbers across int and double, lists and maps deeply', () => {
    expect(celEquals(1n, 1)).toBe(true);
    expect(celEquals([1n, { a: 'x' }], [1, new Map([['a', 'x']])])).toBe(true);
    expect(celEquals({ a: 1n }, { a: 2n })).toBe(false);
  });

  it('computes lazy entries on first access only and rethrows their errors', () => {
    // GIVEN a lazy map with one good and one failing entry
    const calls: string[] = [];
    const lazy = celLazyObject(['good', 'bad'], (name) => {
      calls.push(name);
      if (name === 'bad') throw new Error('bad entry');
      return 42n;
    });
    const program = compileCel('variables.good + variables.good', { dialect: 'gatekeeper', variables: ['variables'] });
    // WHEN reading the good entry twice
    expect(program.evaluate({ variables: lazy })).toBe(84n);
    // THEN it was computed once and the failing one never
    expect(calls).toEqual(['good']);
    expect(compileCel('has(variables.bad)', { dialect: 'gatekeeper', variables: ['variables'] }).evaluate({ variables: lazy })).toBe(true);
    expect(() => compileCel('variables.bad == 1', { dialect: 'gatekeeper', variables: ['variables'] }).evaluate({ variables: lazy })).toThrow(/bad entry/);
    expect(() => compileCel('variables.bad == 2', { dialect: 'gatekeeper', variables: ['variables'] }).evaluate({ variables: lazy })).toThrow(/bad entry/);
    expect(calls).toEqual(['good', 'bad']);
  });
});
