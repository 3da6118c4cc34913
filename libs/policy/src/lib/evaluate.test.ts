import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from './evaluate';
import { PolicyTemplateError } from './template';
import { celTemplate, constraint, namespace, pod, rendered } from '../testing';

const alwaysFails = celTemplate('TestAlwaysFails', { validations: [{ expression: 'false', message: 'always fails' }] });

describe('evaluatePolicies', () => {
  it('reports one violation per failing validation with template, constraint, object and file', () => {
    // GIVEN a template with two failing validations and one passing
    const template = celTemplate('TestTwo', {
      validations: [
        { expression: 'variables.anyObject.metadata.name == "x"', message: 'name must be x' },
        { expression: 'true', message: 'never' },
        { expression: 'has(variables.anyObject.metadata.labels)', message: 'labels required' },
      ],
    });
    // WHEN evaluating on a pod
    const violations = evaluatePolicies({ templates: [template], constraints: [constraint('TestTwo', 'two')], objects: [rendered(pod('web', 'team-a'), 'clusters/dev/web.yaml', 'dev')] });
    // THEN two violations
    expect(violations).toEqual([
      { template: 'testtwo', constraintKind: 'TestTwo', constraintName: 'two', enforcementAction: 'deny', object: 'Pod team-a/web', file: 'clusters/dev/web.yaml', cluster: 'dev', message: 'name must be x' },
      { template: 'testtwo', constraintKind: 'TestTwo', constraintName: 'two', enforcementAction: 'deny', object: 'Pod team-a/web', file: 'clusters/dev/web.yaml', cluster: 'dev', message: 'labels required' },
    ]);
  });

  it('passes spec.parameters as variables.params and the whole constraint as params to template variables only', () => {
    const template = celTemplate('TestParams', {
      variables: [{ name: 'constraintName', expression: 'params.metadata.name' }],
      validations: [
        { expression: 'variables.params.max >= 3', message: 'max too small' },
        { expression: 'variables.constraintName == "p"', message: 'constraint name' },
      ],
    });
    const objects = [rendered(pod('web', 'team-a'))];
    expect(evaluatePolicies({ templates: [template], constraints: [constraint('TestParams', 'p', { parameters: { max: 5 } })], objects })).toEqual([]);
    expect(evaluatePolicies({ templates: [template], constraints: [constraint('TestParams', 'p', { parameters: { max: 2 } })], objects }).map((v) => v.message)).toEqual(['max too small']);
  });

  it('fails if a validation uses params, which Gatekeeper does not declare there', () => {
    const template = celTemplate('TestBadParams', { validations: [{ expression: 'params.spec.parameters.max > 1' }] });
    expect(() => evaluatePolicies({ templates: [template], constraints: [], objects: [] })).toThrow(PolicyTemplateError);
    expect(() => evaluatePolicies({ templates: [template], constraints: [], objects: [] })).toThrow(/validations\[0\]: Unknown variable: params/);
  });

  it.each([
    ['cel.bind', 'cel.bind(x, 1, x == 1)', /cel\.bind/],
    ['a later variable', 'variables.later == 1', /undefined field 'variables\.later'/],
    ['an invalid RE2 literal', '"a".matches("(?<=a)b")', /invalid regular expression/],
  ])('fails if a template uses %s', (_what, expression, reason) => {
    const template = celTemplate('TestBad', { variables: [{ name: 'later', expression: '1' }], validations: [{ expression }] });
    const bad = celTemplate('TestBad', { validations: [{ expression }], variables: [{ name: 'first', expression: 'variables.later' }, { name: 'later', expression: '1' }] });
    expect(() => evaluatePolicies({ templates: [expression.includes('later') ? bad : template], constraints: [], objects: [] })).toThrow(reason);
  });

  it('falls back from messageExpression to message to the expression', () => {
    const template = celTemplate('TestMessages', {
      validations: [
        { expression: 'false', messageExpression: '"from expression " + variables.anyObject.metadata.name', message: 'static' },
        { expression: 'false', messageExpression: '"line1\\nline2"', message: 'newline falls back' },
        { expression: 'false', messageExpression: 'variables.anyObject.missing', message: 'error falls back' },
        { expression: 'false', messageExpression: '"   "', message: '  empty falls back  ' },
        { expression: ' 1 == 2 ' },
      ],
    });
    const messages = evaluatePolicies({ templates: [template], constraints: [constraint('TestMessages', 'm')], objects: [rendered(pod('web', 'team-a'))] }).map((v) => v.message);
    expect(messages).toEqual(['from expression web', 'newline falls back', 'error falls back', 'empty falls back', 'failed expression: 1 == 2']);
  });

  it('counts evaluation errors as violations under failurePolicy Fail and ignores them under Ignore', () => {
    const source = { validations: [{ expression: 'variables.anyObject.spec.missing == 1', message: 'unused' }] };
    const objects = [rendered(pod('web', 'team-a'))];
    const failing = evaluatePolicies({ templates: [celTemplate('TestErr', source)], constraints: [constraint('TestErr', 'e')], objects });
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({ evaluationError: true, message: expect.stringMatching(/No such key: missing/) });
    expect(evaluatePolicies({ templates: [celTemplate('TestErr', { ...source, failurePolicy: 'Ignore' })], constraints: [constraint('TestErr', 'e')], objects })).toEqual([]);
  });

  it('uses defaultFailurePolicy only for templates that do not set one', () => {
    const objects = [rendered(pod('web', 'team-a'))];
    const validations = [{ expression: 'variables.anyObject.spec.missing == 1' }];
    const unset = celTemplate('TestUnset', { validations });
    const explicit = celTemplate('TestExplicit', { validations, failurePolicy: 'Fail' });
    const violations = evaluatePolicies({ templates: [unset, explicit], constraints: [constraint('TestUnset', 'u'), constraint('TestExplicit', 'e')], objects, defaultFailurePolicy: 'Ignore' });
    expect(violations.map((v) => v.constraintKind)).toEqual(['TestExplicit']);
  });

  it('evaluates template variables lazily: an error in an unused variable is no violation', () => {
    const template = celTemplate('TestLazy', {
      variables: [{ name: 'broken', expression: 'variables.anyObject.nope.deeper' }, { name: 'ok', expression: 'true' }],
      validations: [{ expression: 'variables.ok' }, { expression: 'variables.broken == 1', message: 'x' }],
    });
    const violations = evaluatePolicies({ templates: [template], constraints: [constraint('TestLazy', 'l')], objects: [rendered(pod('web', 'ns'))] });
    expect(violations.map((v) => v.message)).toEqual([expect.stringMatching(/composited variable "broken" fails to evaluate/)]);
  });

  it('skips the object when a matchCondition is false', () => {
    const template = celTemplate('TestMatchCondition', { matchCondition: [{ name: 'only-team-a', expression: 'variables.anyObject.metadata.namespace == "team-a"' }], validations: [{ expression: 'false' }] });
    const violations = evaluatePolicies({ templates: [template], constraints: [constraint('TestMatchCondition', 'mc')], objects: [rendered(pod('a', 'team-a')), rendered(pod('b', 'team-b'))] });
    expect(violations.map((v) => v.object)).toEqual(['Pod team-a/a']);
  });

  it('gives CEL the Namespace object of the rendered namespace as namespaceObject', () => {
    const template = celTemplate('TestNsObject', { validations: [{ expression: 'namespaceObject != null && namespaceObject.metadata.labels.tier == "gold"', message: 'tier' }] });
    const objects = [rendered(namespace('team-a', { tier: 'gold' })), rendered(pod('a', 'team-a')), rendered(pod('b', 'team-b'))];
    const violations = evaluatePolicies({ templates: [template], constraints: [constraint('TestNsObject', 'ns', { match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] } })], objects });
    expect(violations.map((v) => v.object)).toEqual(['Pod team-b/b']);
  });

  it.each([
    ['deny', undefined, 'deny'],
    ['warn', undefined, 'warn'],
    ['dryrun', undefined, 'dryrun'],
  ])('keeps enforcementAction %s', (action, _scoped, expected) => {
    const violations = evaluatePolicies({ templates: [alwaysFails], constraints: [constraint('TestAlwaysFails', 'c', { enforcementAction: action })], objects: [rendered(pod('a', 'n'))] });
    expect(violations[0]!.enforcementAction).toBe(expected);
  });

  it('applies scoped enforcement actions of the enforcement point only', () => {
    const scoped = constraint('TestAlwaysFails', 'scoped', {
      enforcementAction: 'scoped',
      scopedEnforcementActions: [
        { action: 'warn', enforcementPoints: [{ name: 'gator.gatekeeper.sh' }] },
        { action: 'deny', enforcementPoints: [{ name: 'validation.gatekeeper.sh' }] },
      ],
    });
    const objects = [rendered(pod('a', 'n'))];
    expect(evaluatePolicies({ templates: [alwaysFails], constraints: [scoped], objects })).toEqual([expect.objectContaining({ enforcementAction: 'scoped', scopedEnforcementActions: ['warn'] })]);
    expect(evaluatePolicies({ templates: [alwaysFails], constraints: [scoped], objects, enforcementPoint: 'validation.gatekeeper.sh' })[0]!.scopedEnforcementActions).toEqual(['deny']);
    expect(evaluatePolicies({ templates: [alwaysFails], constraints: [scoped], objects, enforcementPoint: 'audit.gatekeeper.sh' })).toEqual([]);
  });

  it('fails if a constraint has no template or an unknown enforcementAction', () => {
    expect(() => evaluatePolicies({ templates: [alwaysFails], constraints: [constraint('Nope', 'x')], objects: [] })).toThrow(/no ConstraintTemplate defines kind Nope/);
    expect(() => evaluatePolicies({ templates: [alwaysFails], constraints: [constraint('TestAlwaysFails', 'x', { enforcementAction: 'block' })], objects: [] })).toThrow(/spec\.enforcementAction must be .*deny.*got "block"/);
  });

  it('fails if constraint parameters do not match the template schema', () => {
    const typed = celTemplate('TestTyped', { validations: [{ expression: 'true' }] }, { type: 'object', properties: { max: { type: 'integer' } } });
    expect(() => evaluatePolicies({ templates: [typed], constraints: [constraint('TestTyped', 't', { parameters: { max: 'ten' } })], objects: [] })).toThrow(
      /TestTyped t: the API server would reject this constraint: spec\.parameters\.max must be integer/,
    );
  });

  it('reports a missing Namespace for namespaceSelector as an evaluation error', () => {
    const c = constraint('TestAlwaysFails', 'sel', { match: { namespaceSelector: { matchLabels: { env: 'prod' } } } });
    const violations = evaluatePolicies({ templates: [alwaysFails], constraints: [c], objects: [rendered(pod('a', 'unknown'))] });
    expect(violations).toEqual([expect.objectContaining({ evaluationError: true, message: expect.stringMatching(/missing Namespace "unknown"/) })]);
  });

  it('resolves namespaceSelector per cluster against rendered Namespaces', () => {
    const c = constraint('TestAlwaysFails', 'sel', { match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], namespaceSelector: { matchLabels: { env: 'prod' } } } });
    const objects = [
      rendered(namespace('shop', { env: 'prod' }), 'ns.yaml', 'prod'),
      rendered(namespace('shop', { env: 'dev' }), 'ns.yaml', 'dev'),
      rendered(pod('a', 'shop'), 'a.yaml', 'prod'),
      rendered(pod('a', 'shop'), 'a.yaml', 'dev'),
    ];
    expect(evaluatePolicies({ templates: [alwaysFails], constraints: [c], objects }).map((v) => v.cluster)).toEqual(['prod']);
  });
});
