import { unitFolder } from '@flotilla/core';
import { fleet } from '../index';
import type { RenderedObject } from '@flotilla/model';
import { evaluatePolicies } from '@flotilla/policy';
import { checkReferences, isNamespacedKind, SchemaValidator } from '@flotilla/validate';
import { describe, expect, test } from 'vitest';
import { policyTemplates, renderFleet } from '../testing';

/** The tenants unit and the reference apps, with the namespace each app lives in. */
const TENANT_APPS: Record<string, string> = { 'team-a-web': 'team-a', comfyui: 'imagegen', 'dj-api': 'dj' };
const TENANT_PROJECTS = ['teams', ...Object.keys(TENANT_APPS)];

const templates = policyTemplates();

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('tenants on cluster %s', (_name, cluster) => {
  const { objects: all, folder } = renderFleet(fleet, { clusters: [cluster.name] })[0]!;
  const units = cluster.units.filter((unit) => TENANT_PROJECTS.includes(unit.project));
  const unitFiles = (name: string) => {
    const unit = units.find((u) => u.name === name)!;
    const prefix = `${folder}/${unitFolder(unit)}/`;
    return all.filter((o) => o.file.startsWith(prefix) && o.object.kind !== 'Kustomization');
  };
  const mine: RenderedObject[] = units.flatMap((unit) => unitFiles(unit.name));
  const mineFiles = new Set(mine.map((o) => o.file));

  test('runs the tenants unit and every reference workload', () => {
    expect(units.map((u) => u.name).sort()).toEqual([...TENANT_PROJECTS].sort());
  });

  test('every tenant object passes the schemas and CRD rules', () => {
    const findings = SchemaValidator.load().validate(mine, { kubernetesVersion: cluster.kubernetesVersion });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('every reference resolves: CRDs installed by a dependency, namespaces, ServiceAccounts, stores, claims', () => {
    const findings = checkReferences(all).filter((f) => f.severity === 'error' && (!f.file || mineFiles.has(f.file)));
    expect(findings).toEqual([]);
  });

  test("the cluster's Gatekeeper constraints deny nothing", () => {
    const constraints = all.filter((o) => o.object.apiVersion.startsWith('constraints.gatekeeper.sh/')).map((o) => o.object);
    expect(constraints.length).toBeGreaterThan(0);
    const namespaces = all.filter((o) => o.object.kind === 'Namespace' && !mineFiles.has(o.file));
    const violations = evaluatePolicies({ templates, constraints, objects: [...mine, ...namespaces] }).filter((v) => v.enforcementAction === 'deny' || v.evaluationError);
    expect(violations.map((v) => `${v.object}: ${v.message}`)).toEqual([]);
  });

  test.each(Object.entries(TENANT_APPS))("%s reconciles as its team's Flux account, inside its namespace only", (app, namespace) => {
    const kustomization = all.find((o) => o.object.kind === 'Kustomization' && o.object.metadata.name === app)!.object as any;
    expect(kustomization.spec.serviceAccountName).toBe(`flux-${namespace}`);
    expect(kustomization.spec.targetNamespace).toBe(namespace);
    expect(kustomization.spec.dependsOn).toContainEqual({ name: 'teams' });
    for (const { object } of unitFiles(app)) {
      // no cluster-scoped objects (the tenant account could not create them) and no other namespace
      expect(isNamespacedKind(object.apiVersion, object.kind), `${object.kind} ${object.metadata.name}`).toBe(true);
      expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBe(namespace);
      expect(['ClusterRole', 'ClusterRoleBinding', 'RoleBinding', 'Role', 'Namespace'].includes(object.kind) && object.apiVersion.startsWith('rbac.authorization.k8s.io')).toBe(false);
    }
  });

  test('the tenants unit grants nothing cluster-wide and binds only inside team namespaces', () => {
    const objects = unitFiles('teams').map((o) => o.object);
    const teamNamespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    for (const binding of objects.filter((o) => o.kind === 'RoleBinding')) expect(teamNamespaces).toContain(binding.metadata.namespace);
    expect(all.find((o) => o.object.kind === 'Kustomization' && o.object.metadata.name === 'teams')!.object.spec).toHaveProperty(
      'serviceAccountName',
      'kustomize-controller', // a platform unit applies as Flux's own account, named explicitly under the lockdown's default account
    );
  });
});
