import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RenderedObject } from '@flotilla/model';
import { checkConstraints } from './check-constraints';
import { constraintFor } from './constraints';
import { loadPolicyLibrary } from './library';

const { templates } = loadPolicyLibrary(join(__dirname, '../../../../policies'));
const rendered = (object: RenderedObject['object']): RenderedObject => ({ file: 'clusters/dev/policies/c/x.yaml', index: 0, object, cluster: 'dev' });

describe('checkConstraints', () => {
  it('accepts constraints whose parameters match their template', () => {
    const constraint = constraintFor('FlotillaAllowedRepos', 'repos', { parameters: { repos: ['public.ecr.aws/'] } });
    expect(checkConstraints(templates, [rendered(constraint)])).toEqual([]);
  });

  it('fails if the parameters do not match the template schema, naming the field', () => {
    const constraint = { ...constraintFor('FlotillaAllowedRepos', 'repos', { parameters: { repos: ['x'] } }), spec: { parameters: { repos: 'public.ecr.aws/' } } };
    const [finding] = checkConstraints(templates, [rendered(constraint)]);
    expect(finding).toMatchObject({ severity: 'error', code: 'policy/invalid-constraint', path: 'spec.parameters.repos', object: 'FlotillaAllowedRepos repos' });
    expect(finding.message).toMatch(/must be array/);
  });

  it('fails if no template defines the constraint kind', () => {
    const object = { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'K8sMissing', metadata: { name: 'x' }, spec: {} };
    const [finding] = checkConstraints(templates, [rendered(object)]);
    expect(finding).toMatchObject({ code: 'policy/unknown-constraint-kind', message: 'no ConstraintTemplate defines the constraint kind K8sMissing' });
    expect(finding.fix).toMatch(/FlotillaAllowedRepos/);
  });
});
