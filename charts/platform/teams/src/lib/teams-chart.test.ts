import { RemovalPolicy } from '@flotilla/constructs';
import { renderUnit } from '@flotilla/core';
import { fixtureCluster } from '@flotilla/core/testing';
import type { TeamConfig } from '@flotilla/workloads';
import { describe, expect, test } from 'vitest';
import { teams } from './teams-chart';

const teamA: TeamConfig = { name: 'team-a', costCenter: 'cc-1001', group: 'team-a-developers' };
const dj: TeamConfig = { name: 'dj', namespace: 'dj-prod', costCenter: 'cc-3001', group: 'dj-developers' };
const cluster = fixtureCluster('dev', [], { account: '111111111111', region: 'eu-north-1' });

function render(list: TeamConfig[] = [teamA, dj]) {
  const unit = teams({ teams: list });
  return { unit, objects: renderUnit(unit, cluster) as any[] };
}

describe('teams unit', () => {
  test('is the infra-configs unit named teams', () => {
    const { unit } = render();
    expect({ name: unit.name, project: unit.project, layer: unit.layer, dependsOn: unit.dependsOn, flux: unit.flux }).toEqual({
      name: 'teams',
      project: 'teams',
      layer: 'infra-configs',
      dependsOn: undefined,
      flux: undefined,
    });
    expect(teams({ teams: [teamA], dependsOn: ['secret-stores'] }).dependsOn).toEqual(['secret-stores']);
  });

  test('renders a labelled namespace per team, enforcing Pod Security restricted at the cluster version', () => {
    const namespaces = render().objects.filter((o) => o.kind === 'Namespace');
    const psa = Object.fromEntries(['enforce', 'audit', 'warn'].flatMap((mode) => [[`pod-security.kubernetes.io/${mode}`, 'restricted'], [`pod-security.kubernetes.io/${mode}-version`, 'v1.35']]));
    expect(namespaces.map((n) => [n.metadata.name, n.metadata.labels])).toEqual([
      ['team-a', { team: 'team-a', 'cost-center': 'cc-1001', ...psa }],
      ['dj-prod', { team: 'dj', 'cost-center': 'cc-3001', ...psa }],
    ]);
  });

  test('gives every team a Secrets Manager store that assumes the ABAC role with tenant=<team>', () => {
    const stores = render().objects.filter((o) => o.kind === 'SecretStore');
    expect(stores.map((s) => [s.metadata.namespace, s.metadata.name, s.spec.provider.aws])).toEqual([
      ['team-a', 'aws-secrets-manager', { service: 'SecretsManager', region: 'eu-north-1', role: 'arn:aws:iam::111111111111:role/dev-tenant-secrets', sessionTags: [{ key: 'tenant', value: 'team-a' }] }],
      ['dj-prod', 'aws-secrets-manager', { service: 'SecretsManager', region: 'eu-north-1', role: 'arn:aws:iam::111111111111:role/dev-tenant-secrets', sessionTags: [{ key: 'tenant', value: 'dj' }] }],
    ]);
    for (const store of stores) expect(store.apiVersion).toBe('external-secrets.io/v1');
  });

  test('renders the tenant permissions boundary once per cluster, retained, in ack-system', () => {
    const policies = render().objects.filter((o) => o.kind === 'Policy');
    expect(policies.map((p) => [p.apiVersion, p.metadata.namespace, p.metadata.name, p.spec.name, p.metadata.annotations])).toEqual([
      ['iam.services.k8s.aws/v1alpha1', 'ack-system', 'dev-tenant-boundary', 'dev-tenant-boundary', { 'services.k8s.aws/deletion-policy': 'retain' }],
    ]);
    expect(JSON.parse(policies[0].spec.policyDocument).Statement.map((s: any) => s.Sid)).toContain('DenyIam');
    const destroy = renderUnit(teams({ teams: [teamA], boundaryRemovalPolicy: RemovalPolicy.DESTROY }), cluster).find((o) => o.kind === 'Policy')!;
    expect(destroy.metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'delete' });
  });

  test("binds every team's people to the namespaced people Role unless the team asks for edit", () => {
    const objects = render([teamA, { ...dj, peopleRole: 'edit' }]).objects;
    const bindings = objects.filter((o) => o.kind === 'RoleBinding' && o.subjects[0].kind === 'Group');
    expect(bindings.map((b) => [b.metadata.namespace, b.roleRef.kind, b.roleRef.name])).toEqual([
      ['team-a', 'Role', 'team-a-people'],
      ['dj-prod', 'ClusterRole', 'edit'],
    ]);
  });

  test('creates a Flux tenant account per team', () => {
    const accounts = render().objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === 'flux-system');
    expect(accounts.map((a) => a.metadata.name)).toEqual(['flux-team-a', 'flux-dj']);
  });

  test('grants nothing cluster-wide: no ClusterRole or ClusterRoleBinding, RoleBindings only in team namespaces', () => {
    const { objects } = render();
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    for (const binding of objects.filter((o) => o.kind === 'RoleBinding')) expect(['team-a', 'dj-prod']).toContain(binding.metadata.namespace);
  });

  test("fails if a team's or namespace's name is another's prefix up to '-' (the boundary's <team>-* and db:<namespace>-* grants)", () => {
    expect(() => teams({ teams: [teamA, { ...teamA, name: 'team', namespace: 'team-core' }] })).toThrow(
      /team 'team' is a prefix of team 'team-a' up to '-'; the tenant boundary grants buckets and database users '<team>-\*', so 'team' would reach 'team-a''s; rename one of them/,
    );
    expect(() => teams({ teams: [teamA, { ...teamA, name: 'other', namespace: 'team' }] })).toThrow(/namespace 'team' is a prefix of namespace 'team-a' up to '-'.*RDS instances 'db:<namespace>-\*'/);
  });

  test('fails if a team is listed twice', () => {
    expect(() => teams({ teams: [teamA, teamA] })).toThrow(/team 'team-a' is listed twice/);
  });

  test('fails if two teams share a namespace', () => {
    expect(() => teams({ teams: [teamA, { ...dj, namespace: 'team-a' }] })).toThrow(/namespace 'team-a' is used by two teams/);
  });

  test('fails if two teams claim the same hostname, or one under the other\'s wildcard', () => {
    expect(() => teams({ teams: [{ ...teamA, hostnames: ['api.example.com'] }, { ...dj, hostnames: ['api.example.com'] }] })).toThrow(
      "hostname 'api.example.com' of team 'dj' overlaps 'api.example.com' of team 'team-a'; a hostname belongs to one team: remove it from one of them",
    );
    expect(() => teams({ teams: [{ ...teamA, hostnames: ['*.example.com'] }, { ...dj, hostnames: ['dj.example.com'] }] })).toThrow(/'dj.example.com' of team 'dj' overlaps '\*.example.com' of team 'team-a'/);
    expect(() => teams({ teams: [{ ...teamA, hostnames: ['Not A Host'] }] })).toThrow(/'hostnames\[0\]' \('Not A Host'\) must be a fully qualified lowercase DNS name/);
  });
});
