import { describe, expect, test } from 'vitest';
import type { KubeObject } from '@flotilla/model';
import { fleet } from '../index';
import { renderFleet } from '../testing';

/**
 * The edge of the example fleet (issue 21): every public listener serves TLS for the typed
 * hostnames and plain HTTP is redirected or refused; the load balancer is the AWS Load Balancer
 * Controller's and passes client addresses to Kong; rate limits hold across Kong's replicas; and
 * the GPU nodes' model sync, the models bucket and comfyui agree on bucket, path and owner.
 */
/** Rendered YAML, read field by field. */
type Spec = Record<string, any>;
const specOf = (o: KubeObject) => o.spec as Spec;

describe.each(fleet.clusters.map((cluster) => [cluster.name] as const))('edge on cluster %s', (name) => {
  const objects = renderFleet(fleet, { clusters: [name] })[0]!.objects.map((o) => o.object);
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const helmRelease = (releaseName: string) => of('HelmRelease').find((o) => o.metadata.name === releaseName)!;
  const kongValues = specOf(helmRelease('kong')).values as Spec;

  test('every Kong Ingress is HTTPS only, with a certificate from the ClusterIssuer for each of its hosts', () => {
    const issuers = of('ClusterIssuer').map((o) => o.metadata.name);
    const ingresses = of('Ingress').filter((o) => specOf(o).ingressClassName === 'kong');
    expect(ingresses.length).toBeGreaterThan(0);
    for (const ingress of ingresses) {
      const annotations = ingress.metadata.annotations ?? {};
      expect(annotations['konghq.com/protocols'], ingress.metadata.name).toBe('https');
      expect(annotations['konghq.com/https-redirect-status-code']).toBe('301');
      expect(issuers).toContain(annotations['cert-manager.io/cluster-issuer']);
      const tlsHosts = (specOf(ingress).tls as { hosts: string[] }[]).flatMap((t) => t.hosts);
      for (const rule of specOf(ingress).rules as { host: string }[]) expect(tlsHosts).toContain(rule.host);
    }
  });

  test('every Gateway listens on HTTPS only, terminating TLS with a cert-manager certificate for its typed hostname', () => {
    const gateways = of('Gateway');
    expect(gateways.length).toBeGreaterThan(0);
    for (const gateway of gateways) {
      expect(gateway.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
      for (const listener of specOf(gateway).listeners as Spec[]) {
        expect(listener).toMatchObject({ protocol: 'HTTPS', port: 443, tls: { mode: 'Terminate' } });
        expect(listener.hostname).toMatch(/^[a-z0-9.-]+\.[a-z]+$/);
        expect(listener.tls.certificateRefs).toHaveLength(1);
      }
    }
  });

  test("Kong's NLB is the load balancer controller's, with IP targets and PROXY protocol, and Kong trusts the header from the VPC only", () => {
    expect(helmRelease('aws-load-balancer-controller').metadata.namespace).toBe('kube-system');
    expect(kongValues.proxy).toMatchObject({
      loadBalancerClass: 'service.k8s.aws/nlb',
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip', 'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': '*' },
      http: { parameters: ['proxy_protocol'] },
      tls: { parameters: ['http2', 'proxy_protocol'] },
    });
    expect(kongValues.env.real_ip_header).toBe('proxy_protocol');
    expect(kongValues.env.trusted_ips).toMatch(/^10\.\d+\.0\.0\/16$/);
    // Flux applies Kong only once the controller (and its webhook) run.
    const kongSync = of('Kustomization').find((o) => o.metadata.name === 'kong')!;
    expect((specOf(kongSync).dependsOn as { name: string }[]).map((d) => d.name)).toContain('aws-load-balancer-controller');
  });

  test('no rate limit admits more than its declared rate across all Kong proxy pods', () => {
    const replicas = kongValues.replicaCount as number;
    const limits = Object.fromEntries(of('KongPlugin').filter((o) => (o as Spec).plugin === 'rate-limiting').map((o) => [o.metadata.name, (o as Spec).config]));
    // the typed limits of the apps (dj-api: 3 per consumer per minute, comfyui: 30 per IP per minute)
    expect(limits['dj-rate-limit'].minute * replicas).toBeLessThanOrEqual(3);
    expect(limits['comfyui-rate-limit'].minute * replicas).toBeLessThanOrEqual(30);
    for (const config of Object.values(limits)) expect(config.policy).toBe('local');
    const keyAuth = of('KongPlugin').find((o) => (o as Spec).plugin === 'key-auth') as Spec;
    expect(keyAuth.config).toMatchObject({ key_in_header: true, key_in_query: false, key_in_body: false, hide_credentials: true });
  });

  test("the GPU nodes sync comfyui's models bucket into the path comfyui mounts read-only, owned by comfyui's uid, and may read that bucket only", () => {
    const bucket = of('Bucket').find((o) => o.metadata.name === 'comfyui-models')!;
    const bucketName = specOf(bucket).name as string;
    expect(specOf(bucket).versioning).toEqual({ status: 'Enabled' });
    expect(bucket.metadata.annotations?.['services.k8s.aws/deletion-policy']).toBe('retain');
    const userData = specOf(of('EC2NodeClass').find((o) => o.metadata.name === 'gpu')!).userData as string;
    const deployment = of('Deployment').find((o) => o.metadata.name === 'comfyui')!;
    const pod = specOf(deployment).template.spec as Spec;
    const models = (pod.volumes as Spec[]).find((v) => v.name === 'models')!;
    const mount = (pod.containers[0].volumeMounts as Spec[]).find((m) => m.name === 'models')!;
    expect(mount.readOnly).toBe(true);
    expect(models.hostPath.type).toBe('Directory');
    const uid = pod.securityContext.runAsUser as number;
    expect(userData).toContain(`install -d -m 0755 -o ${uid} -g ${uid} ${models.hostPath.path}\n`);
    expect(userData).toContain(` --delete s3://${bucketName}/ ${models.hostPath.path}\n`);
    const nodeRole = of('Role').find((o) => o.metadata.name === 'karpenter-node')!;
    const statements = JSON.parse(specOf(nodeRole).inlinePolicies['model-sync']).Statement as { Action: string | string[]; Resource: string | string[] }[];
    expect(statements.flatMap((s) => [s.Action].flat())).toEqual(['s3:ListBucket', 's3:GetObject']);
    expect(statements.flatMap((s) => [s.Resource].flat())).toEqual([`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`]);
  });
});
