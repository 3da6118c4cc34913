import { describe, expect, it } from 'vitest';
import { evaluateGatekeeper } from '../testing';
import { rewriteOptionalEntries } from './optional-literals';


describe('optional entries in list and map literals', () => {
  it('drops absent optional list elements and unwraps present ones', () => {
    expect(evaluateGatekeeper('[?optional.of(1), 2, ?optional.none()]')).toEqual([1n, 2n]);
    expect(evaluateGatekeeper('[?object.?a, "z"]', { a: 'y' })).toEqual(['y', 'z']);
    expect(evaluateGatekeeper('2 in [1, ?optional.of(2)]')).toBe(true);
  });

  it('drops absent optional map entries', () => {
    expect(evaluateGatekeeper('{"a": 1, ?"b": object.?m.?x, ?"c": object.?nope}', { m: { x: 'y' } })).toEqual(new Map<string, unknown>([['a', 1n], ['b', 'y']]));
    expect(evaluateGatekeeper('{?"k": true ? optional.of(1) : optional.none()}')).toEqual(new Map([['k', 1n]]));
  });

  it('leaves index access, strings and plain literals alone', () => {
    expect(rewriteOptionalEntries('a[?0] + [1, 2] + "[?x]"')).toBe('a[?0] + [1, 2] + "[?x]"');
    expect(rewriteOptionalEntries('[[?a], b]')).toBe('[k8sListOf([dyn(a)], [true]), b]');
  });

  it('fails if an optional entry is not an optional value', () => {
    expect(() => evaluateGatekeeper('[?1].size() == 1')).toThrow(/optional entry \(\?\) needs an optional value/);
  });
});
