import { ApiObject } from 'cdk8s';
import type { Unit } from '@flotilla/config';
import { fleetChecks } from '@flotilla/cli';
import type { Finding } from '@flotilla/model';
import { describe, expect, test } from 'vitest';
import { fleet } from '../index';
import { renderCluster, workspace } from '../testing';

/**
 * Tenant units (issue 15, part 2): an apps-layer unit holds only namespaced objects of the kinds its
 * team's Flux account may create, and no RBAC. Each attack below is one object a team adds to its
 * own unit (dj-api); synth's checks (the same ones `flotilla validate` runs) reject it by name.
 */
const prod = fleet.clusters.find((cluster) => cluster.name === 'prod')!;
const checks = fleetChecks(workspace.policiesDir);

/** prod with `extra` objects added to the dj-api unit, through synth's checks. */
function synthErrors(extra: (unit: Unit) => Record<string, unknown>[]): string[] {
  const units = prod.units.map((unit): Unit =>
    unit.name !== 'dj-api'
      ? unit
      : {
          ...unit,
          render(scope, context) {
            unit.render(scope, context);
            for (const [i, props] of extra(unit).entries()) new ApiObject(scope, `Attack${i}`, props as never);
          },
        },
  );
  const cluster = { ...prod, units };
  const all = renderCluster(prod, units);
  const findings: Finding[] = checks.flatMap((check) => check({ cluster, rendered: all, all: () => all, context: () => all }));
  return findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.object}: ${f.message}`);
}

describe('tenant units on prod', () => {
  test('the example fleet passes', () => {
    expect(synthErrors(() => []).filter((e) => e.startsWith('tenancy/'))).toEqual([]);
  });

  test('a ClusterRoleBinding to cluster-admin is rejected, naming the unit, the object and the rule', () => {
    const errors = synthErrors(() => [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'dj-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'jazz-v1', namespace: 'dj' }],
      },
    ]);
    expect(errors).toContain(
      "tenancy/rbac ClusterRoleBinding dj-admin: tenant unit 'dj-api' (Kustomization flux-system/dj-api, applied as flux-system/flux-dj) contains ClusterRoleBinding dj-admin: tenant units may not carry RBAC, which could grant more than the team's own roles",
    );
  });

  test('a namespaced Role granting Secrets is rejected as RBAC', () => {
    const errors = synthErrors(() => [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-secrets', namespace: 'dj' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
    ]);
    expect(errors.filter((e) => e.startsWith('tenancy/'))).toEqual([
      "tenancy/rbac Role dj/read-secrets: tenant unit 'dj-api' (Kustomization flux-system/dj-api, applied as flux-system/flux-dj) contains Role read-secrets: tenant units may not carry RBAC, which could grant more than the team's own roles",
    ]);
  });

  test('a NetworkPolicy that opens the namespace, or a Secret, is not an allowed tenant kind', () => {
    const errors = synthErrors(() => [
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-all', namespace: 'dj' }, spec: { podSelector: {}, egress: [{}], policyTypes: ['Egress'] } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'dj' }, stringData: {} },
    ]).filter((e) => e.startsWith('tenancy/'));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^tenancy\/kind-not-allowed NetworkPolicy dj\/allow-all: tenant unit 'dj-api' .* contains NetworkPolicy allow-all, which is not an allowed tenant kind: flux-dj may create only .*apps\/deployments.* in namespace dj$/);
    expect(errors[1]).toMatch(/^tenancy\/kind-not-allowed Secret dj\/token: .*not an allowed tenant kind/);
  });

  test('a cluster-scoped object is rejected', () => {
    const errors = synthErrors(() => [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dj-extra' } }]).filter((e) => e.startsWith('tenancy/'));
    expect(errors).toEqual([
      "tenancy/cluster-scoped Namespace dj-extra: tenant unit 'dj-api' (Kustomization flux-system/dj-api, applied as flux-system/flux-dj) contains the cluster-scoped Namespace dj-extra: tenant units may contain only namespaced objects",
    ]);
  });

  test('a HelmRelease without an account (helm-controller would apply it as cluster-admin) is rejected by the unit check and by Gatekeeper', () => {
    const errors = synthErrors(() => [
      {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'escalate', namespace: 'dj' },
        spec: { interval: '10m', chartRef: { kind: 'OCIRepository', name: 'anything' } },
      },
    ]);
    expect(errors).toContainEqual(expect.stringMatching(/^tenancy\/kind-not-allowed HelmRelease dj\/escalate: tenant unit 'dj-api' .* which is not an allowed tenant kind/));
    // Gatekeeper, for a HelmRelease created directly in the namespace (Flux aggregates its edit rights into the `edit` ClusterRole)
    expect(errors).toContainEqual(expect.stringMatching(/HelmRelease dj\/escalate: .*HelmRelease dj\/escalate names no spec.serviceAccountName, so the Flux controller would apply it with its own cluster-admin account/));
  });
});
