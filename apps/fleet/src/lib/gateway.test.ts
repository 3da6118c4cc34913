import { describe, expect, test } from 'vitest';
import { fleet } from '../index';
import { renderFleet, tenantNamespacesOf, violationsOf } from '../testing';

/**
 * The shared gateway on the example fleet (issue 15, part 4): tenants cannot point Kong at an
 * ExternalName or intercept traffic with externalIPs, and only Kong's proxy pods reach their pods.
 */

describe.each(fleet.clusters.map((cluster) => [cluster.name] as const))('shared gateway on cluster %s', (name) => {
  const { objects: all } = renderFleet(fleet, { clusters: [name] })[0]!;
  const constraints = all.filter((o) => o.object.kind === 'FlotillaTenantServices').map((o) => o.object);
  const namespaces = all.filter((o) => o.object.kind === 'Namespace');
  const tenantNamespaces = tenantNamespacesOf(all);
  const services = all.filter((o) => o.object.kind === 'Service' && tenantNamespaces.includes(o.object.metadata.namespace!));
  const evaluate = (objects: typeof all) => violationsOf(constraints, objects, namespaces);

  test('every tenant Service of the fleet passes, and the constraint denies', () => {
    expect(constraints).toHaveLength(1);
    expect((constraints[0] as any).spec.enforcementAction).toBe('deny');
    expect(services.length).toBeGreaterThanOrEqual(3);
    expect(evaluate(services)).toEqual([]);
  });

  test('an ExternalName Service or externalIPs in a tenant namespace is rejected, naming the Service', () => {
    for (const service of services) {
      const where = `Service ${service.object.metadata.namespace}/${service.object.metadata.name}`;
      const external = structuredClone(service.object) as any;
      external.spec = { type: 'ExternalName', externalName: 'kong-admin.kong.svc.cluster.local' };
      expect(evaluate([{ ...service, object: external }])).toEqual([
        `${where}: Service type ExternalName is not allowed in tenant namespaces (it points the gateway at kong-admin.kong.svc.cluster.local); route to a Service of your own pods`,
      ]);
      const intercept = structuredClone(service.object) as any;
      intercept.spec.externalIPs = ['169.254.169.254'];
      expect(evaluate([{ ...service, object: intercept }])).toEqual([`${where}: spec.externalIPs is not allowed in tenant namespaces: 169.254.169.254`]);
    }
  });

  test('tenant pods admit only the Kong proxy pods, not the whole kong namespace', () => {
    const policies = all.filter((o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.name === 'allow-from-ingress-controller');
    expect(policies.map((o) => o.object.metadata.namespace).sort()).toEqual([...tenantNamespaces].sort());
    for (const policy of policies) {
      expect((policy.object as any).spec.ingress).toEqual([
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kong' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kong', 'app.kubernetes.io/instance': 'kong', 'app.kubernetes.io/component': 'app' } },
            },
          ],
        },
      ]);
    }
  });
});
