import { describe, expect, it } from 'vitest';
import { readEmittedYaml } from './yaml-reader';
import { emitYaml } from './yaml-emitter';
import { headerFor } from './header';

const samples: unknown[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x' } }, data: { 'a.yaml': 'k: v\nlist:\n  - 1\n', empty: '' } },
  { spec: { containers: [{ name: 'c', args: ['--x', '-y', 'yes', '1.0', ''], env: [] }], n: 3, f: 0.25, t: true, z: null, o: {} } },
  { nested: [[1, 2], [], [[3]], [{ a: [{ b: 'c' }] }], 'plain', { 'key: colon': '"quoted"', '- dash': 'x' }] },
  { rule: 'self.all(x,\n  x > 0)', keep: 'line\n', blank: 'a\n\nb\n', tabs: 'a\tb' },
  ['top', { level: 'sequence' }],
];

describe('readEmittedYaml', () => {
  it.each(samples.map((sample, index) => [index, sample]))('reads back what emitYaml wrote (sample %i)', (_index, sample) => {
    expect(readEmittedYaml(headerFor('apps/x') + emitYaml(sample))).toEqual([sample]);
  });

  it('reads multi-document files such as gotk-sync.yaml', () => {
    const text = headerFor('apps/fleet') + [{ a: 1 }, { b: [2] }].map(emitYaml).join('---\n');
    expect(readEmittedYaml(text)).toEqual([{ a: 1 }, { b: [2] }]);
  });

  it('gives up on YAML it did not write, so callers fall back to a full parser', () => {
    expect(readEmittedYaml('a: &anchor 1\nb: *anchor\n')).toBeUndefined();
    expect(readEmittedYaml('a: [1, 2]\n')).toBeUndefined();
    expect(readEmittedYaml('a:\n    b: 1\n')).toBeUndefined();
    expect(readEmittedYaml('a: 1 # comment\n')).toBeUndefined();
    expect(readEmittedYaml("a: 'single'\n")).toBeUndefined();
  });
});
