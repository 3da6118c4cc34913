import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitYaml } from './yaml-emitter';

const roundTrip = (value: unknown) => parse(emitYaml(value), { version: '1.1' });

describe('emitYaml', () => {
  it('renders nested maps and sequences in block style, keys in the given order', () => {
    // GIVEN a typical object WHEN emitted THEN it reads like hand-written Kubernetes YAML
    const text = emitYaml({ apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80, name: 'http' }], selector: {} } });
    expect(text).toBe('apiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: 80\n      name: http\n  selector: {}\n');
  });

  it.each([
    'yes', 'No', 'ON', 'off', 'y', 'n', 'true', 'False', 'null', '~', '', ' lead', 'trail ', '123', '0x1F', '1e3', '1.35',
    '08', '2001-12-14', '1:20', '.inf', '-', 'a: b', 'a #b', '#c', '*ref', '&anchor', '!tag', '@at', '`tick', '%p', '{x}',
    '[y]', 'key:', "it's", '"quoted"', 'multi\nline', 'ends\n', 'two\n\n', '\tstart', 'tab\tmid', 'cr\r\n', '\u0007bell', 'ünïcode',
  ])('reads back %j exactly under YAML 1.1 and 1.2', (text) => {
    expect(roundTrip({ value: text, [text]: 1, list: [text] })).toEqual({ value: text, [text]: 1, list: [text] });
    expect(parse(emitYaml({ value: text }), { version: '1.2' })).toEqual({ value: text });
  });

  it('keeps plain scalars plain where no parser can misread them', () => {
    expect(emitYaml({ memory: '512Mi', cpu: '100m', image: 'nginx', path: '/data', label: 'app.kubernetes.io/name' })).toBe(
      'memory: 512Mi\ncpu: 100m\nimage: nginx\npath: /data\nlabel: app.kubernetes.io/name\n',
    );
  });

  it('renders multi-line text as a literal block', () => {
    const rule = 'self.all(x,\n  x > 0)\n';
    expect(emitYaml({ rule })).toBe('rule: |\n  self.all(x,\n    x > 0)\n');
    expect(roundTrip({ deep: { rule: 'a\n\nb' } })).toEqual({ deep: { rule: 'a\n\nb' } });
  });

  it('round-trips nested sequences, empty values and numbers', () => {
    const value = { a: [[1, 2], [], [{}], [{ b: [] }]], c: null, d: -0.5, e: 1e21, f: false, g: {} };
    expect(roundTrip(value)).toEqual(value);
  });

  it('fails if a value is not JSON', () => {
    expect(() => emitYaml({ when: () => 1 })).toThrow(/cannot render a function in YAML/);
    expect(() => emitYaml({ n: Number.NaN })).toThrow(/finite number/);
  });
});
