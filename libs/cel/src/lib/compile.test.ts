import { describe, expect, it } from 'vitest';
import { compileCel } from './compile';
import { CelCompileError, CelEvaluationError } from './errors';

const gk = { dialect: 'gatekeeper' as const, variables: ['object', 'oldObject', 'request', 'namespaceObject', 'variables'] };
const run = (expression: string, object: unknown = {}) => compileCel(expression, gk).evaluate({ object });

describe('compileCel', () => {
  it('compiles once per (dialect, variables, expression)', () => {
    // GIVEN the same expression compiled twice WHEN compiling THEN the same program is returned
    expect(compileCel('object.x == 1', gk)).toBe(compileCel('object.x == 1', gk));
    expect(compileCel('self.x == 1', { dialect: 'crd', variables: ['self'] })).not.toBe(compileCel('self.x == 1', { dialect: 'crd', variables: ['self', 'oldSelf'] }));
  });

  it('decodes JSON integers as int and other numbers as double', () => {
    expect(run('object.replicas == 3 && type(object.replicas) == int', { replicas: 3 })).toBe(true);
    expect(run('type(object.ratio) == double', { ratio: 0.5 })).toBe(true);
  });

  it('fails if a variable is not declared', () => {
    expect(() => compileCel('params.x', gk)).toThrow(CelCompileError);
    expect(() => compileCel('params.x', gk)).toThrow(/Unknown variable: params/);
  });

  it.each([
    ['cel.bind(x, 1, x == 1)', /cel\.bind\(\) is not part of Kubernetes CEL/],
    ['b"x".json()', /bytes\.json\(\)/],
    ['b"x".hex() == ""', /bytes\.hex\(\)/],
    ['b"x".base64() == ""', /bytes\.base64\(\)/],
    ['b"x".at(0) == 1', /bytes\.at\(\)/],
    ['b"x".string() == "x"', /bytes\.string\(\)/],
    ['[1, "a"].size() == 2', /list literal mixes element types int, string/],
    ['{"a": 1, "b": "x"}.size() == 2', /map literal mixes value types int, string/],
    ['{"a": 1, 2: 1}.size() == 2', /map literal mixes key types string, int/],
    ['"a".matches("(")', /invalid regular expression/],
    ['object.a.find("[")  == ""', /invalid regular expression/],
    ['duration("5x") > duration("1s")', /invalid duration literal "5x"/],
    ['timestamp("2024-13-45") > timestamp("2024-01-01T00:00:00Z")', /invalid timestamp literal "2024-13-45"/],
  ])('fails if the expression uses what Kubernetes does not compile: %s', (expression, reason) => {
    expect(() => compileCel(expression, gk)).toThrow(reason);
  });

  it('accepts valid duration and timestamp literals', () => {
    expect(run('duration("1h30m") > duration("90s") && timestamp("2024-01-01T00:00:00Z") < timestamp("2024-06-01T12:00:00.5+02:00")')).toBe(true);
  });

  it('does not treat string contents as code', () => {
    expect(run('"cel.bind(x)".size() > 0 && "has(x)" == "has(x)"')).toBe(true);
  });

  it('rejects unknown fields of variables when the defined fields are given', () => {
    const options = { ...gk, variableFields: ['anyObject', 'params'] };
    expect(() => compileCel('variables.containers.size() > 0', options)).toThrow(/undefined field 'variables\.containers'/);
    expect(compileCel('variables.params == null', options).evaluate({ variables: { params: null } })).toBe(true);
  });

  it('raises CelEvaluationError with the user-facing function names', () => {
    const program = compileCel('object.s.matches(object.re)', gk);
    expect(() => program.evaluate({ object: { s: 'a', re: '(' } })).toThrow(CelEvaluationError);
    expect(() => program.evaluate({ object: {} })).toThrow(/No such key/);
  });

  it('accepts mixing dyn values with literals and compares numbers across types', () => {
    expect(run('["a", object.s] == ["a", "b"]', { s: 'b' })).toBe(true);
    expect(run('1 == 1.0 && 1 < 2.5 && dyn(2) > 1.5')).toBe(true);
  });

  it('supports has() on any field selection', () => {
    expect(run('has(object.items[0].name) && !has(object.items[1].name)', { items: [{ name: 'a' }, {}] })).toBe(true);
    expect(run('has(object.m.x)', { m: { x: 1 } })).toBe(true);
  });

  it('supports optional field selection', () => {
    expect(run('object.?a.?b.orValue("none")', {})).toBe('none');
    expect(run('object.?a.?b.orValue("none")', { a: { b: 'x' } })).toBe('x');
  });
});
