import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { join } from 'node:path';
import { fixtureCluster } from '@flotilla/core/testing';
import { compileTemplate, constraintProblems, evaluatePolicies, policyTemplates } from '@flotilla/policy';
import { findRepoRoot, type KubeObject } from '@flotilla/model';
import { IdentityMode, Team, WorkloadIdentity } from '@flotilla/workloads';
import { clusterConstraints, type ClusterPolicySettings } from './cluster-constraints';
import { gatekeeperPolicies } from './gatekeeper-policies-unit';

const POLICIES = join(findRepoRoot(), 'policies');

const cluster = fixtureCluster('dev', [], { account: '111111111111', region: 'eu-north-1', identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/ABC123' } });
const settings: ClusterPolicySettings = { allowedRepositories: ['111111111111.dkr.ecr.eu-north-1.amazonaws.com/'], requireImageDigests: false };
const tenantIam = (s: ClusterPolicySettings = settings) => clusterConstraints(s, cluster).find((c) => c.metadata.name === 'tenant-iam')! as KubeObject & { spec: any };

/** A team (namespace labelled `team`) with one workload identity per mode, as the reference apps render them. */
function tenantObjects(config: { name: string; namespace?: string } = { name: 'team-a' }): KubeObject[] {
  const chart = Testing.chart();
  const team = new Team(chart, 'Team', { config: { ...config, costCenter: 'cc-1001', group: `${config.name}-developers` } });
  const read = { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::team-a-assets/*'] };
  new WorkloadIdentity(chart, 'Web', { team: team.ref, serviceAccountName: 'web', cluster, statements: [read] });
  new WorkloadIdentity(chart, 'Worker', { team: team.ref, serviceAccountName: 'worker', cluster, mode: IdentityMode.IRSA, statements: [read] });
  return Testing.synth(chart) as KubeObject[];
}

function denials(objects: KubeObject[], s: ClusterPolicySettings = settings) {
  const violations = evaluatePolicies({ templates: [...policyTemplates(POLICIES)], constraints: [tenantIam(s)], objects: objects.map((object, index) => ({ file: `f${index}`, index, object })) });
  return violations.map((v) => `${v.object}: ${v.message}`);
}

const edit = (objects: KubeObject[], kind: string, change: (o: any) => void) =>
  objects.map((o) => {
    if (o.kind !== kind) return o;
    const copy = structuredClone(o);
    change(copy);
    return copy;
  });

describe('tenant IAM constraint', () => {
  it('is built from the cluster: boundary, role prefix, account and OIDC provider, matched to team-labelled namespaces', () => {
    const constraint = tenantIam();
    expect(constraint.kind).toBe('FlotillaTenantIam');
    expect(constraint.spec.parameters).toEqual({
      rolePrefix: 'dev.',
      roleArnPrefix: 'arn:aws:iam::111111111111:role/',
      permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/dev-tenant-boundary',
      clusterName: 'dev',
      allowedServicePrincipals: ['pods.eks.amazonaws.com'],
      allowedFederatedPrincipals: ['arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-north-1.amazonaws.com/id/ABC123'],
    });
    expect(constraint.spec.match.namespaceSelector).toEqual({ matchExpressions: [{ key: 'team', operator: 'Exists' }] });
    expect(constraint.spec.match.kinds).toEqual([
      { apiGroups: ['iam.services.k8s.aws'], kinds: ['Role', 'Policy'] },
      { apiGroups: ['eks.services.k8s.aws'], kinds: ['PodIdentityAssociation'] },
    ]);
    expect(constraintProblems(compileTemplate(policyTemplates(POLICIES).find((t) => t.metadata.name === 'flotillatenantiam')!), constraint)).toEqual([]);
  });

  it('is left out without a cluster, and the unit always renders it', () => {
    expect(clusterConstraints(settings).map((c) => c.kind)).not.toContain('FlotillaTenantIam');
    const [, constraints] = gatekeeperPolicies({ constraints: settings });
    expect(renderUnit(constraints!, cluster, { policiesDir: POLICIES }).map((c) => c.kind)).toContain('FlotillaTenantIam');
  });

  it('takes allowed managed policies and can drop IRSA trust', () => {
    const parameters = tenantIam({ ...settings, tenantIam: { allowIrsa: false, allowedManagedPolicyArns: ['arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess'] } }).spec.parameters;
    expect(parameters.allowedFederatedPrincipals).toBeUndefined();
    expect(parameters.allowedManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess']);
  });

  it('fails if an allowed managed policy is not a policy ARN', () => {
    expect(() => clusterConstraints({ ...settings, tenantIam: { allowedManagedPolicyArns: ['arn:aws:iam::aws:policy/*'] } }, cluster)).toThrow(
      /tenantIam.allowedManagedPolicyArns entry "arn:aws:iam::aws:policy\/\*" is not a managed policy ARN/,
    );
  });

  it('admits what Team and WorkloadIdentity render (Pod Identity and IRSA)', () => {
    const objects = tenantObjects();
    expect(objects.filter((o) => o.kind === 'Role' && o.apiVersion.startsWith('iam.')).length).toBe(2);
    expect(denials(objects)).toEqual([]);
  });

  it("reads the team from the namespace's team label: tenant=<team> passes where the namespace differs, another team's tag does not", () => {
    const objects = tenantObjects({ name: 'dj', namespace: 'dj-prod' });
    expect(denials(objects)).toEqual([]);
    const claimed = edit(objects, 'Role', (role) => {
      if (role.apiVersion.startsWith('iam.')) role.spec.tags = role.spec.tags.map((t: any) => (t.key === 'tenant' ? { key: 'tenant', value: 'team-a' } : t));
    });
    expect(denials(claimed)).toEqual([
      expect.stringMatching(/^Role dj-prod\/dj-prod-web: .*spec.tags kubernetes-namespace and tenant must be dj-prod and dj .*got: tenant=team-a;/),
      expect.stringMatching(/^Role dj-prod\/dj-prod-worker: .*got: tenant=team-a;/),
    ]);
  });

  it('denies case-variant reserved tags: a team-a role tagged Tenant: dj / Kubernetes-Namespace: dj, and platform tags', () => {
    const spoofed = edit(tenantObjects(), 'Role', (role) => {
      if (!role.apiVersion.startsWith('iam.') || role.spec.name !== 'dev.team-a.web') return;
      role.spec.tags = [...role.spec.tags, { key: 'Tenant', value: 'dj' }, { key: 'Kubernetes-Namespace', value: 'dj' }, { key: 'FLOTILLA.DEV/cluster', value: 'prod' }];
    });
    expect(denials(spoofed)).toEqual([
      expect.stringMatching(/^Role team-a\/team-a-web: IAM Role team-a\/team-a-web: spec.tags kubernetes-namespace and tenant must be team-a and team-a .*reserved keys are matched in any case.*got: Tenant=dj, Kubernetes-Namespace=dj, FLOTILLA.DEV\/cluster=prod;/),
    ]);
  });

  it('denies an inline s3:* on * (every bucket, the artifacts bucket included) and NotAction, and admits metrics on *', () => {
    const broad = edit(tenantObjects(), 'Role', (role) => {
      if (!role.apiVersion.startsWith('iam.') || role.spec.name !== 'dev.team-a.web') return;
      role.spec.inlinePolicies = {
        ...role.spec.inlinePolicies,
        everything: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
        buckets: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::*/*'] }] }),
        inverted: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::team-a-x' }] }),
        metrics: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' }] }),
      };
    });
    const found = denials(broad);
    expect(found).toHaveLength(2);
    expect(found).toContainEqual(
      expect.stringMatching(/^Role team-a\/team-a-web: IAM Role team-a\/team-a-web: spec.inlinePolicies (everything, buckets|buckets, everything) grant data-plane actions on Resource .*outside tenant team-a; name the team's own resources \(e.g. arn:aws:s3:::team-a-\*\)/),
    );
    expect(found).toContainEqual(expect.stringMatching(/^Role team-a\/team-a-web: .*spec.inlinePolicies inverted must be compact JSON .*without escapes, NotAction or NotResource/));
  });

  it("denies role names no namespace can own: team 'team' claiming team-a's role, team 'external' the platform's external-secrets", () => {
    const team = tenantObjects({ name: 'team' });
    expect(denials(team)).toEqual([]);
    const claimed = edit(team, 'Role', (role) => {
      if (role.apiVersion.startsWith('iam.') && role.spec.name === 'dev.team.web') role.spec.name = 'dev.team-a.web';
    });
    expect(denials(claimed)).toEqual([expect.stringMatching(/^Role team\/team-web: .*spec.name must start with dev.team. .*got: name dev.team-a.web, path \/;/)]);
    const external = edit(tenantObjects({ name: 'external' }), 'PodIdentityAssociation', (association) => {
      delete association.spec.roleRef;
      association.spec.roleARN = 'arn:aws:iam::111111111111:role/dev-external-secrets';
    });
    expect(denials(external)).toEqual([
      expect.stringMatching(/^PodIdentityAssociation external\/external-web: .*spec.roleARN must start with arn:aws:iam::111111111111:role\/dev.external. .*got: spec.roleARN arn:aws:iam::111111111111:role\/dev-external-secrets;/),
    ]);
  });

  it('denies a tenant role without the boundary, and IRSA trust when the cluster allows only Pod Identity', () => {
    const unbounded = edit(tenantObjects(), 'Role', (role) => {
      if (role.apiVersion.startsWith('iam.')) delete role.spec.permissionsBoundary;
    });
    expect(denials(unbounded)).toEqual([
      expect.stringMatching(/^Role team-a\/team-a-web: IAM Role team-a\/team-a-web: spec.permissionsBoundary must be arn:aws:iam::111111111111:policy\/dev-tenant-boundary .*got: none;/),
      expect.stringMatching(/^Role team-a\/team-a-worker: IAM Role team-a\/team-a-worker: spec.permissionsBoundary must be arn:aws:iam::111111111111:policy\/dev-tenant-boundary .*got: none;/),
    ]);
    const podIdentityOnly = denials(tenantObjects(), { ...settings, tenantIam: { allowIrsa: false } });
    expect(podIdentityOnly).toHaveLength(1);
    expect(podIdentityOnly[0]).toMatch(/team-a-worker: .*spec.assumeRolePolicyDocument may trust only \{"Service":"pods.eks.amazonaws.com"\}/);
  });

  it('denies an association of a platform role, and skips the same objects outside team namespaces', () => {
    const borrowed = edit(tenantObjects(), 'PodIdentityAssociation', (association) => {
      association.spec.roleRef = { from: { name: 'karpenter', namespace: 'ack-system' } };
    });
    expect(denials(borrowed)).toEqual([expect.stringMatching(/PodIdentityAssociation team-a\/team-a-web: .*got: spec.roleRef to namespace ack-system;/)]);
    // a namespace without the team label (a platform namespace that is not excluded) is not a tenant
    const platform = borrowed.map((o) => (o.kind === 'Namespace' ? { ...o, metadata: { ...o.metadata, labels: {} } } : o));
    expect(denials(platform)).toEqual([]);
  });
});
