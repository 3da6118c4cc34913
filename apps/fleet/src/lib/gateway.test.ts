import { describe, expect, test } from 'vitest';
import { fleet } from '../index';
import { renderFleet, tenantNamespacesOf, violationsOf } from '../testing';

/**
 * The shared gateway on the example fleet (issue 15, part 4): tenants cannot point Kong at an
 * ExternalName or intercept traffic with externalIPs, only Kong's proxy pods reach their pods, a
 * route answers only hostnames its team owns, and Kong consumers and ACL groups stay the team's own.
 */

describe.each(fleet.clusters.map((cluster) => [cluster.name] as const))('shared gateway on cluster %s', (name) => {
  const { objects: all } = renderFleet(fleet, { clusters: [name] })[0]!;
  const constraints = all.filter((o) => ['FlotillaTenantServices', 'FlotillaRouteHostnames', 'FlotillaKongTenancy'].includes(o.object.kind)).map((o) => o.object);
  const namespaces = all.filter((o) => o.object.kind === 'Namespace');
  const tenantNamespaces = tenantNamespacesOf(all);
  const services = all.filter((o) => o.object.kind === 'Service' && tenantNamespaces.includes(o.object.metadata.namespace!));
  const evaluate = (objects: typeof all) => violationsOf(constraints, objects, namespaces);

  test('every tenant Service of the fleet passes, and the constraint denies', () => {
    expect(constraints).toHaveLength(3);
    for (const constraint of constraints) expect((constraint as any).spec.enforcementAction).toBe('deny');
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

  const named = (kind: string, name: string) => all.find((o) => o.object.kind === kind && o.object.metadata.name === name)!;
  const djHost = (named('HTTPRoute', 'jazz').object as any).spec.hostnames[0] as string;
  const comfyHost = (named('Ingress', 'comfyui').object as any).spec.rules[0].host as string;

  test('every route, Gateway and Kong object of the fleet passes', () => {
    const gatewayObjects = all.filter((o) => ['Ingress', 'Gateway', 'HTTPRoute', 'KongPlugin', 'KongConsumer', 'ExternalSecret'].includes(o.object.kind) && tenantNamespaces.includes(o.object.metadata.namespace!));
    expect(gatewayObjects.length).toBeGreaterThanOrEqual(9);
    expect(evaluate(gatewayObjects)).toEqual([]);
  });

  test("a route for another team's hostname, or for every hostname, is rejected, naming the route and the rule", () => {
    const ingress = structuredClone(named('Ingress', 'comfyui').object) as any;
    ingress.spec.rules[0].host = djHost;
    expect(evaluate([{ ...named('Ingress', 'comfyui'), object: ingress }])).toEqual([
      `Ingress imagegen/comfyui: Ingress imagegen/comfyui answers ${djHost}, which the team of namespace imagegen does not own (it owns: ${comfyHost}); add the hostname to the team's 'hostnames' in its TeamConfig if it is the team's`,
    ]);
    const route = structuredClone(named('HTTPRoute', 'jazz').object) as any;
    delete route.spec.hostnames;
    expect(evaluate([{ ...named('HTTPRoute', 'jazz'), object: route }])).toEqual([
      `HTTPRoute dj/jazz: HTTPRoute dj/jazz answers every hostname (a rule, default backend or listener without a host, or a route without hostnames); name one the team owns (${djHost})`,
    ]);
    const gateway = structuredClone(named('Gateway', 'dj').object) as any;
    gateway.spec.listeners[0].hostname = comfyHost;
    expect(evaluate([{ ...named('Gateway', 'dj'), object: gateway }])[0]).toMatch(new RegExp(`^Gateway dj/dj: Gateway dj/dj answers ${comfyHost.replace(/\./g, '\\.')}, which the team of namespace dj does not own`));
  });

  test("a team cannot join another team's ACL group or take its consumer names", () => {
    const acl = named('KongPlugin', 'dj-acl');
    const widened = structuredClone(acl.object) as any;
    widened.config.allow = ['dj', 'imagegen'];
    expect(evaluate([{ ...acl, object: widened }])).toEqual([
      "KongPlugin dj/dj-acl: KongPlugin dj/dj-acl allows ACL group(s) imagegen of another team; an acl plugin may allow only its namespace's group (dj)",
    ]);
    // imagegen copies dj's consumer and ACL credential into its own namespace
    const consumer = structuredClone(named('KongConsumer', 'dj-client').object) as any;
    consumer.metadata.namespace = 'imagegen';
    const credential = structuredClone(named('ExternalSecret', 'dj-client-acl').object) as any;
    credential.metadata.namespace = 'imagegen';
    expect(evaluate([{ ...named('KongConsumer', 'dj-client'), object: consumer }, { ...named('ExternalSecret', 'dj-client-acl'), object: credential }])).toEqual([
      'KongConsumer imagegen/dj-client: KongConsumer imagegen/dj-client uses the Kong-wide name(s) dj-client; consumer usernames, custom_ids and consumer groups must be imagegen or start with imagegen-',
      'ExternalSecret imagegen/dj-client-acl: ExternalSecret imagegen/dj-client-acl renders an ACL credential whose group is not the team\'s own: set spec.target.template.data.group to "imagegen" (a literal, no templateFrom)',
    ]);
  });

  test('dj routes carry key-auth and the acl plugin of the team group; every consumer is in the group', () => {
    for (const genre of ['jazz', 'metal']) expect((named('HTTPRoute', genre).object.metadata.annotations as any)['konghq.com/plugins']).toContain('dj-acl');
    expect((named('KongConsumer', 'dj-client').object as any).credentials).toEqual(['dj-client-key-auth', 'dj-client-acl']);
    expect(all.filter((o) => o.object.kind === 'Secret' && tenantNamespaces.includes(o.object.metadata.namespace!))).toEqual([]);
  });
});
