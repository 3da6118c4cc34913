import { renderUnit } from '@flotilla/core';
import { fixtureCluster } from '@flotilla/core/testing';
import { ImageReference, type TeamConfig } from '@flotilla/workloads';
import { describe, expect, test } from 'vitest';
import { djApi, type DjApiProps } from './dj-api';

const team: TeamConfig = { name: 'dj', costCenter: 'cc-3001', group: 'dj-developers', hostnames: ['api.dev.example.com'] };
const cluster = fixtureCluster('dev', []);
const base: DjApiProps = {
  team,
  proxyReplicas: 3,
  images: { v1: ImageReference.parse('111111111111.dkr.ecr.eu-north-1.amazonaws.com/dj/http-echo:1.0.0'), v2: ImageReference.parse('111111111111.dkr.ecr.eu-north-1.amazonaws.com/dj/http-echo:1.1.0') },
};

function render(overrides: Partial<DjApiProps> = {}) {
  const unit = djApi({ ...base, ...overrides });
  const objects = renderUnit(unit, cluster) as any[];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  return { unit, objects, of, named };
}

describe('dj-api', () => {
  test('runs jazz and metal, each in v1 and v2', () => {
    const { of } = render();
    expect(of('Deployment').map((d) => d.metadata.name)).toEqual(['jazz-v1', 'jazz-v2', 'metal-v1', 'metal-v2']);
    expect(of('Service').map((s) => s.metadata.name)).toEqual(['jazz-v1', 'jazz-v2', 'metal-v1', 'metal-v2']);
  });

  test('routes /dj/<genre> through a Kong Gateway with 95/5 weights to v1/v2', () => {
    const { named } = render();
    expect(named('Gateway', 'dj').spec.gatewayClassName).toBe('kong');
    for (const genre of ['jazz', 'metal']) {
      const route = named('HTTPRoute', genre);
      expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(route.spec.parentRefs).toEqual([{ name: 'dj', sectionName: 'https' }]);
      expect(route.spec.rules).toEqual([
        {
          matches: [{ path: { type: 'PathPrefix', value: `/dj/${genre}` } }],
          backendRefs: [
            { name: `${genre}-v1`, port: 80, weight: 95 },
            { name: `${genre}-v2`, port: 80, weight: 5 },
          ],
        },
      ]);
    }
  });

  test('the canary share is a typed prop', () => {
    const weights = render({ canaryPercent: 50 }).named('HTTPRoute', 'jazz').spec.rules[0].backendRefs.map((b: any) => b.weight);
    expect(weights).toEqual([50, 50]);
  });

  test('routes carry key-auth, the team ACL and a per-consumer rate limit of 3 requests per minute across the 3 Kong pods', () => {
    const { named } = render();
    for (const genre of ['jazz', 'metal']) expect(named('HTTPRoute', genre).metadata.annotations['konghq.com/plugins']).toBe('dj-key-auth,dj-acl,dj-rate-limit');
    expect(named('KongPlugin', 'dj-acl')).toMatchObject({ plugin: 'acl', config: { allow: ['dj'], hide_groups_header: true } });
    expect(named('KongPlugin', 'dj-rate-limit')).toMatchObject({ apiVersion: 'configuration.konghq.com/v1', plugin: 'rate-limiting', config: { minute: 1, policy: 'local', limit_by: 'consumer' } });
    expect(render({ proxyReplicas: 1 }).named('KongPlugin', 'dj-rate-limit').config.minute).toBe(3);
  });

  test('key-auth accepts the key in the apikey header only (never query string or body) and hides it from the upstream', () => {
    expect(render().named('KongPlugin', 'dj-key-auth')).toMatchObject({
      plugin: 'key-auth',
      config: { key_names: ['apikey'], key_in_header: true, key_in_query: false, key_in_body: false, hide_credentials: true },
    });
  });

  test('fails if the limit cannot be split among the Kong pods', () => {
    expect(() => djApi({ ...base, requestsPerMinute: 2 })).toThrow(/'requestsPerMinute' \(2\) is below the Kong proxy replicas \(3\)/);
  });

  test('the consumer key comes from Secrets Manager through ESO, labelled as a key-auth credential, never a literal Secret', () => {
    const { named, of } = render();
    expect(named('KongConsumer', 'dj-client')).toMatchObject({ username: 'dj-client', credentials: ['dj-client-key-auth', 'dj-client-acl'] });
    // ACL membership: the team's group, a literal of the template (never remote data a team could change)
    const acl = named('ExternalSecret', 'dj-client-acl');
    expect(acl.spec.target.template).toMatchObject({ metadata: { labels: { 'konghq.com/credential': 'acl' } }, data: { group: 'dj' } });
    const external = named('ExternalSecret', 'dj-client-key-auth');
    expect(external.apiVersion).toBe('external-secrets.io/v1');
    expect(external.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'aws-secrets-manager' });
    expect(external.spec.target.template.metadata.labels['konghq.com/credential']).toBe('key-auth');
    expect(external.spec.data).toEqual([{ secretKey: 'key', remoteRef: { key: 'dj/kong/dj-client', property: 'key' } }]);
    expect(of('Secret')).toEqual([]);
  });

  test('is a tenant app unit of dj and keeps every object in its namespace', () => {
    const { unit, objects } = render();
    expect(unit.flux).toEqual({ serviceAccountName: 'flux-dj', targetNamespace: 'dj' });
    for (const object of objects) expect(object.metadata.namespace).toBe('dj');
  });

  test('the Gateway listens on HTTPS only, with the certificate cert-manager issues into dj-tls; no plain-HTTP listener', () => {
    const gatewayObject = render().named('Gateway', 'dj');
    expect(gatewayObject.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(gatewayObject.spec.listeners).toEqual([
      {
        name: 'https',
        protocol: 'HTTPS',
        port: 443,
        hostname: 'api.dev.example.com',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'dj-tls' }] },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
    ]);
  });

  test('the Gateway listener and every route answer the team-owned hostname only', () => {
    const { named } = render();
    expect(named('Gateway', 'dj').spec.listeners[0].hostname).toBe('api.dev.example.com');
    for (const genre of ['jazz', 'metal']) expect(named('HTTPRoute', genre).spec.hostnames).toEqual(['api.dev.example.com']);
  });

  test('fails for a hostname the team does not own, naming the prop and the fix', () => {
    expect(() => djApi({ ...base, hostname: 'comfyui.dev.example.com' })).toThrow(
      "'hostname' ('comfyui.dev.example.com') is not a hostname team 'dj' owns (api.dev.example.com); add it to the team's 'hostnames' in its TeamConfig",
    );
    expect(() => djApi({ ...base, team: { ...team, hostnames: [] } })).toThrow(/team 'dj' owns no hostname and 'hostname' is not set/);
  });

  test("fails for a consumer named outside the team's namespace prefix", () => {
    expect(() => djApi({ ...base, consumers: ['imagegen-client'] })).toThrow("'consumers' entry 'imagegen-client' must be 'dj' or start with 'dj-'");
  });

  test('fails if the canary share is above 100', () => {
    expect(() => djApi({ ...base, canaryPercent: 101 })).toThrow(/'canaryPercent' \(101\) must be a whole number from 0 to 100/);
  });
});
