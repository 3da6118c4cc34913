import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import { KONG_PROXY_POD_LABELS } from '@flotilla/workloads';
import { kong, type KongProps, type KongValues } from './kong';

const base: KongProps = { trustedCidrs: ['10.10.0.0/16'] };
const render = (props: Partial<KongProps> = {}) => renderUnits(kong({ ...base, ...props }), fixtureCluster('dev', []));

describe('kong', () => {
  it('installs Gateway API CRDs first, then Kong, then the GatewayClass in the configs layer', () => {
    expect(kong(base).map((unit) => [unit.name, unit.layer, unit.dependsOn ?? []])).toEqual([
      ['kong.gateway-api', 'infra-controllers', []],
      ['kong', 'infra-controllers', ['kong.gateway-api', 'aws-load-balancer-controller']],
      ['kong.gateway-class', 'infra-configs', ['kong.gateway-api']],
    ]);
  });

  it('applies the Gateway API v1.6.1 standard CRDs from upstream at the tag\'s commit (not the movable tag), never pruning them', () => {
    const objects = render().get('kong.gateway-api')!;
    expect(findObject(objects, 'GitRepository').spec).toEqual({
      interval: '12h',
      url: 'https://github.com/kubernetes-sigs/gateway-api',
      // git rev-parse 'v1.6.1^{commit}' in kubernetes-sigs/gateway-api, as recorded in libs/upstream/sources.json.
      ref: { commit: '8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3' },
      ignore: '/*\n!/config/\n/config/*\n!/config/crd/\n/config/crd/*\n!/config/crd/standard/\n',
    });
    const kustomization = findObject(objects, 'Kustomization');
    expect(kustomization.metadata).toEqual({
      name: 'gateway-api-crds',
      namespace: 'flux-system',
      annotations: { 'flotilla.dev/installs-crds': 'gateway.networking.k8s.io' },
    });
    expect(kustomization.spec).toEqual({
      interval: '1h',
      path: './config/crd/standard',
      sourceRef: { kind: 'GitRepository', name: 'gateway-api' },
      prune: false,
      deletionPolicy: 'Orphan',
      wait: true,
      timeout: '5m',
    });
  });

  it('installs the kong chart with KIC pinned to 3.5.13, DB-less, behind an internal NLB of the load balancer controller with PROXY protocol', () => {
    const release = findObject(render().get('kong'), 'HelmRelease') as KubeObject & { spec: { releaseName: string; chart: { spec: object }; values: { nameOverride?: string } } };
    expect(release.metadata.annotations).toEqual({ 'flotilla.dev/installs-crds': 'configuration.konghq.com,incubator.ingress-controller.konghq.com' });
    expect(release.spec).toMatchObject({ chart: { spec: { chart: 'kong', version: '2.51.0' } }, install: { crds: 'Create' }, upgrade: { crds: 'CreateReplace' } });
    expect((release.spec as { values: unknown }).values).toEqual({
      replicaCount: 2,
      env: { database: 'off', log_level: 'notice', real_ip_header: 'proxy_protocol', trusted_ips: '10.10.0.0/16' },
      ingressController: { enabled: true, image: { tag: '3.5.13' }, ingressClass: 'kong', env: { log_level: 'info' }, admissionWebhook: { port: 8080 } },
      proxy: {
        type: 'LoadBalancer',
        loadBalancerClass: 'service.k8s.aws/nlb',
        annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
          'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': '*',
        },
        http: { containerPort: 8000, parameters: ['proxy_protocol'] },
        tls: { containerPort: 8443, parameters: ['http2', 'proxy_protocol'] },
      },
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    });
  });

  it('renders an unmanaged GatewayClass for KIC', () => {
    const gatewayClass = findObject(render({ className: 'public' }).get('kong.gateway-class'), 'GatewayClass');
    expect(gatewayClass.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gatewayClass.metadata).toEqual({ name: 'public', annotations: { 'konghq.com/gatewayclass-unmanaged': 'true' } });
    expect(gatewayClass.spec).toEqual({ controllerName: 'konghq.com/kic-gateway-controller' });
  });

  it('sets the scheme of an internet-facing proxy and drops the PDB for one replica', () => {
    const values = (findObject(render({ loadBalancerScheme: 'internet-facing', replicas: 1 }).get('kong'), 'HelmRelease').spec as unknown as { values: KongValues }).values;
    expect(values.proxy.annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internet-facing');
    expect(values.podDisruptionBudget.enabled).toBe(false);
  });

  it('sees client addresses: IP targets (no node hop), PROXY protocol on both listeners, trusted only from the listed CIDRs', () => {
    const values = (findObject(render({ trustedCidrs: ['10.20.0.0/16', '100.64.0.0/16'] }).get('kong'), 'HelmRelease').spec as unknown as { values: KongValues }).values;
    expect(values.env).toMatchObject({ real_ip_header: 'proxy_protocol', trusted_ips: '10.20.0.0/16,100.64.0.0/16' });
    expect(values.proxy.annotations['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type']).toBe('ip');
    expect(values.proxy.annotations['service.beta.kubernetes.io/aws-load-balancer-proxy-protocol']).toBe('*');
    expect([values.proxy.http.parameters, values.proxy.tls.parameters]).toEqual([['proxy_protocol'], ['http2', 'proxy_protocol']]);
  });

  it('fails without trusted CIDRs, or with one that trusts everyone', () => {
    expect(() => kong({ trustedCidrs: [] })).toThrow("kong trustedCidrs is empty; pass the VPC's CIDR (c.vpc.cidr)");
    expect(() => kong({ trustedCidrs: ['0.0.0.0/0'] })).toThrow("kong trustedCidrs entry '0.0.0.0/0' must be an IPv4 CIDR narrower than /0");
    expect(() => kong({ trustedCidrs: ['10.10.0.0'] })).toThrow(/kong trustedCidrs entry '10.10.0.0' must be an IPv4 CIDR/);
  });

  it('fails if the class name is not a DNS label', () => {
    expect(() => kong({ ...base, className: 'Kong Public' })).toThrow(/kong className 'Kong Public' must be a DNS label/);
  });

  it('deploys the proxy pods the team NetworkPolicies admit: release kong of chart 2.51.0, no name override', () => {
    const release = findObject(render().get('kong'), 'HelmRelease') as KubeObject & { spec: { releaseName: string; chart: { spec: object }; values: { nameOverride?: string } } };
    expect(release.spec.releaseName).toBe('kong');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'kong', version: '2.51.0' });
    expect(release.spec.values.nameOverride).toBeUndefined();
    // kong.selectorLabels: name = chart name, instance = release name, component app
    expect(KONG_PROXY_POD_LABELS).toEqual({ 'app.kubernetes.io/name': 'kong', 'app.kubernetes.io/instance': release.spec.releaseName, 'app.kubernetes.io/component': 'app' });
  });

  it('denies by default in the kong namespace, then opens the proxy listeners, proxy-to-tenant traffic, HTTPS to the API and the webhook', () => {
    const policies = new Map(render().get('kong')!.filter((o) => o.kind === 'NetworkPolicy').map((o) => [o.metadata.name, (o as any).spec]));
    expect([...policies.keys()].sort()).toEqual([
      'allow-dns',
      'allow-https-egress',
      'allow-proxy-from-load-balancer',
      'allow-proxy-to-tenants',
      'allow-same-namespace',
      'allow-webhooks-from-api-server',
      'default-deny',
    ]);
    expect(policies.get('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const proxy = { matchLabels: KONG_PROXY_POD_LABELS };
    expect(policies.get('allow-proxy-from-load-balancer')).toEqual({ podSelector: proxy, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8000, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }] }] });
    expect(policies.get('allow-proxy-to-tenants')).toEqual({ podSelector: proxy, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }] }] });
    expect(policies.get('allow-https-egress').egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] }]);
    expect(policies.get('allow-webhooks-from-api-server').ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });
});
