import { evaluatePolicies } from '@flotilla/policy';
import { describe, expect, test } from 'vitest';
import { fleet } from '../index';
import { policyTemplates, renderFleet } from '../testing';

/**
 * The tenant IAM fence on the example fleet: every tenant role the reference apps render is
 * reviewed by `FlotillaTenantIam`, and the tenant boundary leaves every action they need.
 */
const templates = policyTemplates();

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('tenant IAM fence on cluster %s', (_name, cluster) => {
  const { objects: all } = renderFleet(fleet, { clusters: [cluster.name] })[0]!;

  test('every tenant IAM Role and PodIdentityAssociation is reviewed by tenant-iam: without its boundary a role is denied', () => {
    const constraints = all.filter((o) => o.object.kind === 'FlotillaTenantIam').map((o) => o.object);
    expect(constraints).toHaveLength(1);
    const namespaces = all.filter((o) => o.object.kind === 'Namespace');
    const tenantNamespaces = namespaces.filter((o) => o.object.metadata.labels?.team).map((o) => o.object.metadata.name);
    const roles = all.filter((o) => o.object.apiVersion === 'iam.services.k8s.aws/v1alpha1' && o.object.kind === 'Role' && tenantNamespaces.includes(o.object.metadata.namespace!));
    // team-a-web, comfyui and config-demo run with their own AWS identity
    expect(roles.length).toBeGreaterThanOrEqual(3);
    const unbounded = roles.map((o) => {
      const object = structuredClone(o.object) as any;
      delete object.spec.permissionsBoundary;
      return { ...o, object };
    });
    const violations = evaluatePolicies({ templates, constraints, objects: [...unbounded, ...namespaces] });
    expect(violations.map((v) => v.object).sort()).toEqual(roles.map((o) => `Role ${o.object.metadata.namespace}/${o.object.metadata.name}`).sort());
    for (const v of violations) expect(v.message).toMatch(/spec.permissionsBoundary must be arn:aws:iam::\d{12}:policy\/[a-z0-9-]+-tenant-boundary/);
  });

  test('the tenant boundary allows every action the tenant roles grant themselves', () => {
    const boundary = all.find((o) => o.object.kind === 'Policy' && o.object.apiVersion === 'iam.services.k8s.aws/v1alpha1' && o.object.metadata.name?.endsWith('-tenant-boundary'))!.object as any;
    const statements = JSON.parse(boundary.spec.policyDocument).Statement as { Effect: string; Action: string | string[]; Resource: string | string[] }[];
    // Denials on every resource; those on named resources (the platform's buckets) are checked per resource below.
    const actionsOf = (effect: string) => statements.filter((s) => s.Effect === effect && (effect === 'Allow' || [s.Resource].flat().includes('*'))).flatMap((s) => [s.Action].flat());
    const deniedResources = statements.filter((s) => s.Effect === 'Deny' && ![s.Resource].flat().includes('*')).flatMap((s) => [s.Resource].flat());
    const pattern = (action: string) => new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    const allowed = actionsOf('Allow').map(pattern);
    const denied = actionsOf('Deny').map(pattern);
    const roles = all.filter((o) => o.object.apiVersion === 'iam.services.k8s.aws/v1alpha1' && o.object.kind === 'Role' && (o.object as any).spec.permissionsBoundary === `arn:aws:iam::${cluster.account}:policy/${boundary.spec.name}`);
    expect(roles.length).toBeGreaterThanOrEqual(3);
    for (const role of roles) {
      const granted = Object.values((role.object as any).spec.inlinePolicies as Record<string, string>)
        .flatMap((document) => JSON.parse(document).Statement)
        .filter((s: any) => s.Effect === 'Allow');
      for (const resource of granted.flatMap((s: any) => [s.Resource].flat() as string[])) {
        expect(deniedResources, `${role.object.metadata.name}: ${resource}`).not.toContain(resource);
      }
      for (const action of granted.flatMap((s: any) => [s.Action].flat() as string[])) {
        const where = `${role.object.metadata.name}: ${action}`;
        expect(allowed.some((p) => p.test(action)), where).toBe(true);
        expect(denied.some((p) => p.test(action)), where).toBe(false);
      }
    }
  });

});
