import { describe, expect, it } from 'vitest';
import { substitute } from './envsubst';

const vars = new Map([
  ['cluster', 'prod'],
  ['empty', ''],
]);

describe('Flux post-build substitution', () => {
  it('replaces ${var} and the default forms as kustomize-controller does', () => {
    expect(substitute('a: ${cluster}\nb: ${missing:=x}\nc: ${empty:-y}\nd: ${empty=z}\ne: ${cluster:=q}', vars)).toEqual({
      output: 'a: prod\nb: x\nc: y\nd: \ne: prod',
      problems: [],
    });
  });

  it('leaves $var and escaped $${var} alone', () => {
    expect(substitute('echo $cluster $${cluster}', vars).output).toBe('echo $cluster ${cluster}');
  });

  it('warns that an undefined variable becomes empty', () => {
    const result = substitute('x: ${nope}', vars);
    expect(result.output).toBe('x: ');
    expect(result.problems).toMatchObject([{ severity: 'warning', text: '${nope}' }]);
  });

  it('fails an unclosed brace and a bad name', () => {
    expect(substitute('x: ${cluster\ny: 1', vars).problems).toMatchObject([{ severity: 'error', text: '${cluster', message: expect.stringMatching(/no closing brace/) }]);
    expect(substitute('x: ${1st}', vars).problems).toMatchObject([{ severity: 'error', text: '${1st}', message: expect.stringMatching(/not a valid variable/) }]);
  });
});
