import { describe, expect, it } from 'vitest';
import { compileTemplate, PolicyTemplateError } from './template';
import { evaluatePolicies } from './evaluate';
import { checkConstraints, constraintsNotEvaluatedOffline } from './check-constraints';
import { celTemplate, constraint, pod, rendered } from '../testing';

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

  it('fails for plain Rego (no external_data): Flotilla would have nothing to say about it', () => {
    expect(() => compileTemplate(regoTemplate('TestPlainRego', 'package x\nviolation[{"msg": "no"}] { true }'))).toThrow(/no K8sNativeValidation code block.*Rego needs OPA/);
  });

  it('accepts Rego that asks an external data provider, marked as not evaluated offline', () => {
    const template = regoTemplate('TestRatify', 'package x\nremote := external_data({"provider": "ratify-provider", "keys": ["a"]})\nviolation[{"msg": m}] { m := remote.system_error }', {
      type: 'object',
      required: ['registries'],
      properties: { registries: { type: 'array', minItems: 1, items: { type: 'string' } } },
    });
    const compiled = compileTemplate(template);
    expect(compiled).toMatchObject({ kind: 'TestRatify', validations: [], notEvaluatedOffline: 'external data: not evaluated offline (Rego calls provider ratify-provider at admission)' });
    // Its constraints are still checked against the parameters schema…
    const bad = rendered(constraint('TestRatify', 'sig', { parameters: {} }), 'c.yaml', 'prod');
    expect(checkConstraints([template], [bad]).map((f) => f.code)).toEqual(['policy/invalid-constraint']);
    // …but never reviewed: no violation is invented, and none is claimed absent by a CEL run.
    const good = constraint('TestRatify', 'sig', { parameters: { registries: ['r.example'] } });
    expect(evaluatePolicies({ templates: [template], constraints: [good], objects: [rendered(pod('web', 'team-a'))] })).toEqual([]);
    // …and the report names it as not evaluated; CEL templates' constraints are not listed.
    const cel = celTemplate('TestCel', { validations: [{ expression: 'true' }] });
    expect(constraintsNotEvaluatedOffline([template, cel], [good, constraint('TestCel', 'c')])).toEqual([
      { kind: 'TestRatify', name: 'sig', reason: 'external data: not evaluated offline (Rego calls provider ratify-provider at admission)' },
    ]);
  });
});

function regoTemplate(kind: string, rego: string, schema?: Record<string, unknown>) {
  const template = celTemplate(kind, {}, schema);
  (template.spec as { targets: unknown[] }).targets = [{ target: 'admission.k8s.gatekeeper.sh', rego }];
  return template;
}
