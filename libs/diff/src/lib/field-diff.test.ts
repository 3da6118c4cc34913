import { describe, expect, it } from 'vitest';
import { canonicalJson, diffFields, sameValue } from './field-diff';

describe('diffFields', () => {
  it('ignores key order and reports nothing for equal values', () => {
    expect(diffFields({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('reports a whole added or removed subtree once, at its root', () => {
    expect(diffFields({ spec: {} }, { spec: { tls: { hosts: ['a.example.com'] } } })).toEqual([
      { path: 'spec.tls', type: 'added', after: { hosts: ['a.example.com'] } },
    ]);
    expect(diffFields({ spec: { paused: true } }, { spec: {} })).toEqual([{ path: 'spec.paused', type: 'removed', before: true }]);
  });

  it('reports a list of scalars as one value, and lists of unnamed objects by position', () => {
    expect(diffFields({ args: ['--a', '--b'] }, { args: ['--a', '--c'] })).toEqual([
      { path: 'args', type: 'changed', before: ['--a', '--b'], after: ['--a', '--c'] },
    ]);
    expect(diffFields({ rules: [{ host: 'a' }, { host: 'b' }] }, { rules: [{ host: 'a' }, { host: 'c' }, { host: 'd' }] })).toEqual([
      { path: 'rules[1].host', type: 'changed', before: 'b', after: 'c' },
      { path: 'rules[2]', type: 'added', after: { host: 'd' } },
    ]);
  });

  it('names removed list items by their base position', () => {
    const before = { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] };
    const after = { env: [{ name: 'B', value: '2' }] };

    expect(diffFields(before, after)).toEqual([{ path: 'env[0]', type: 'removed', before: { name: 'A', value: '1' } }]);
  });

  it('quotes keys that are not identifiers, like annotation names', () => {
    expect(diffFields({ metadata: { annotations: {} } }, { metadata: { annotations: { 'example.com/x': 'y' } } })).toEqual([
      { path: 'metadata.annotations["example.com/x"]', type: 'added', after: 'y' },
    ]);
  });

  it('hides values under hidden prefixes', () => {
    expect(diffFields({ data: { k: 'YQ==' } }, { data: { k: 'Yg==' } }, { hiddenPrefixes: [['data']] })).toEqual([
      { path: 'data.k', type: 'changed', hidden: true },
    ]);
  });
});

describe('sameValue and canonicalJson', () => {
  it('treat objects with the same entries in another order as equal', () => {
    expect(sameValue({ a: 1, b: [{ x: 1, y: 2 }] }, { b: [{ y: 2, x: 1 }], a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });
});
