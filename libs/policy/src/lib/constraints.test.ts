import { describe, expect, it } from 'vitest';
import { constraintFor, FLOTILLA_POLICY_KINDS, POD_WORKLOAD_KINDS, TENANT_IAM_KINDS } from './constraints';
import { evaluatePolicies } from './evaluate';
import { loadPolicyLibrary } from './library';
import { constraintProblems } from './parameters-schema';
import { compileTemplate } from './template';
import { pod, rendered, workspacePoliciesDir } from '../testing';


const { templates } = loadPolicyLibrary(workspacePoliciesDir);

describe('constraintFor', () => {
  it('builds a constraints.gatekeeper.sh/v1beta1 object with typed parameters', () => {
    const constraint = constraintFor('FlotillaAllowedRepos', 'ecr-only', { parameters: { repos: ['ghcr.io/acme'] }, match: { kinds: POD_WORKLOAD_KINDS }, enforcementAction: 'warn' });
    expect(constraint).toEqual({
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'FlotillaAllowedRepos',
      metadata: { name: 'ecr-only' },
      spec: { enforcementAction: 'warn', match: { kinds: POD_WORKLOAD_KINDS }, parameters: { repos: ['ghcr.io/acme'] } },
    });
  });

  it('produces constraints the library templates accept and evaluate', () => {
    const constraint = constraintFor('FlotillaAllowedRepos', 'ecr-only', { parameters: { repos: ['ghcr.io/acme'] }, match: { kinds: POD_WORKLOAD_KINDS } });
    const template = templates.find((t) => t.metadata.name === 'flotillaallowedrepos')!;
    expect(constraintProblems(compileTemplate(template), constraint)).toEqual([]);
    const violations = evaluatePolicies({ templates, constraints: [constraint], objects: [rendered(pod('web', 'team-a')), rendered({ ...pod('bad', 'team-a'), spec: { containers: [{ name: 'x', image: 'nginx:1' }] } })] });
    expect(violations.map((v) => [v.object, v.message])).toEqual([['Pod team-a/bad', 'images must come from an allowed repository (ghcr.io/acme), got: nginx:1']]);
  });

  it('builds a FlotillaTenantIam constraint the template accepts, and its schema rejects a malformed role ARN prefix', () => {
    const parameters = {
      rolePrefix: 'dev-',
      roleArnPrefix: 'arn:aws:iam::111111111111:role/',
      permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/dev-tenant-boundary',
      allowedFederatedPrincipals: ['arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-north-1.amazonaws.com/id/ABC123'],
    };
    const match = { kinds: TENANT_IAM_KINDS, namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' as const }] } };
    const template = compileTemplate(templates.find((t) => t.metadata.name === 'flotillatenantiam')!);
    expect(constraintProblems(template, constraintFor('FlotillaTenantIam', 'tenant-iam', { parameters, match }))).toEqual([]);
    const bad = constraintFor('FlotillaTenantIam', 'tenant-iam', { parameters: { ...parameters, roleArnPrefix: 'arn:aws:iam::111111111111:role/dev-' }, match });
    expect(constraintProblems(template, bad).join('\n')).toMatch(/roleArnPrefix/);
  });

  it('has a template in policies/ for every typed kind', () => {
    expect(templates.map((t) => compileTemplate(t).kind).sort()).toEqual([...FLOTILLA_POLICY_KINDS].sort());
  });

  it('fails if the name is not a DNS subdomain', () => {
    expect(() => constraintFor('FlotillaImageTags', 'No_Latest', { parameters: {} })).toThrow(/name must be a lowercase DNS subdomain .* got "No_Latest"/);
  });

  it('fails if scoped actions are missing or given without scoped', () => {
    expect(() => constraintFor('FlotillaImageTags', 'x', { parameters: {}, enforcementAction: 'scoped' })).toThrow(/scopedEnforcementActions is required/);
    expect(() => constraintFor('FlotillaImageTags', 'x', { parameters: {}, scopedEnforcementActions: [{ action: 'warn', enforcementPoints: [{ name: '*' }] }] })).toThrow(/only allowed with enforcementAction scoped/);
    expect(() => constraintFor('FlotillaImageTags', 'x', { parameters: {}, enforcementAction: 'scoped', scopedEnforcementActions: [{ action: 'warn', enforcementPoints: [{ name: 'ci' }] }] })).toThrow(/enforcement point must be one of/);
  });

  it('fails if the enforcement action is unknown', () => {
    expect(() => constraintFor('FlotillaImageTags', 'x', { parameters: {}, enforcementAction: 'block' as never })).toThrow(/enforcementAction must be one of deny, dryrun, warn, scoped, got "block"/);
  });
});
