import { describe, expect, it } from 'vitest';
import { compileTemplate, PolicyTemplateError } from './template';
import { celTemplate } from '../testing';

describe('compileTemplate', () => {
  it('compiles once per template object', () => {
    const template = celTemplate('TestOnce', { validations: [{ expression: 'true' }] });
    expect(compileTemplate(template)).toBe(compileTemplate(template));
  });

  it.each([
    ['the name is not the lowercase kind', { ...celTemplate('TestName', { validations: [{ expression: 'true' }] }), metadata: { name: 'other' } }, /metadata\.name must be the lowercase kind "testname"/],
    ['a variable is called params', celTemplate('TestReserved', { variables: [{ name: 'params', expression: '1' }], validations: [{ expression: 'true' }] }), /reserved/],
    ['a variable starts with gatekeeper_internal_', celTemplate('TestReserved', { variables: [{ name: 'gatekeeper_internal_x', expression: '1' }], validations: [{ expression: 'true' }] }), /reserved/],
    ['there are no validations', celTemplate('TestEmpty', {}), /validations is empty/],
    ['failurePolicy is unknown', celTemplate('TestPolicy', { failurePolicy: 'Maybe', validations: [{ expression: 'true' }] }), /failurePolicy must be Fail or Ignore/],
    ['a bytes helper is used', celTemplate('TestBytes', { validations: [{ expression: 'b"x".hex() == ""' }] }), /bytes\.hex\(\)/],
    ['the authorizer is used', celTemplate('TestAuthz', { validations: [{ expression: 'authorizer.group("").resource("pods").check("get").allowed()' }] }), /Unknown variable: authorizer/],
  ])('fails if %s', (_what, template, reason) => {
    expect(() => compileTemplate(template)).toThrow(PolicyTemplateError);
    expect(() => compileTemplate(template)).toThrow(reason);
  });

  it('fails if the template has only Rego', () => {
    const template = celTemplate('TestRego', {});
    (template.spec as { targets: { code: { engine: string }[] }[] }).targets[0]!.code[0]!.engine = 'Rego';
    expect(() => compileTemplate(template)).toThrow(/no K8sNativeValidation code block/);
  });
});
