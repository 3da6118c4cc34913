import { renderUnit } from '@flotilla/core';
import { fixtureCluster } from '@flotilla/core/testing';
import { ImageReference, type TeamConfig } from '@flotilla/workloads';
import { describe, expect, test } from 'vitest';
import { COMFYUI_MODELS_HOST_PATH, comfyUi, type ComfyUiProps } from './comfyui';

const team: TeamConfig = {
  hostnames: ['comfyui.dev.example.com'],
  name: 'imagegen',
  costCenter: 'cc-2001',
  group: 'imagegen-developers',
  s3Volumes: [{ claimName: 'comfyui-outputs', bucketName: 'imagegen-outputs-111111111111', prefix: 'outputs/', region: 'eu-north-1' }],
};
const cluster = fixtureCluster('dev', [], { account: '111111111111' });
const base: ComfyUiProps = { team, image: ImageReference.parse('111111111111.dkr.ecr.eu-north-1.amazonaws.com/imagegen/comfyui:0.3.66'), host: 'comfyui.dev.example.com', proxyReplicas: 1 };

function render(overrides: Partial<ComfyUiProps> = {}) {
  const unit = comfyUi({ ...base, ...overrides });
  const objects = renderUnit(unit, cluster) as any[];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return { unit, objects, of, pod: of('Deployment')[0].spec.template.spec };
}

describe('comfyui', () => {
  test('is a tenant app unit of imagegen', () => {
    expect(render().unit.flux).toEqual({ serviceAccountName: 'flux-imagegen', targetNamespace: 'imagegen' });
  });

  test('runs only on the GPU NodePool: tolerates the GPU taint, selects the pool, requests a GPU', () => {
    const { pod } = render();
    expect(pod.nodeSelector).toEqual({ 'karpenter.sh/nodepool': 'gpu' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
  });

  test('reads models from the instance store through exactly one hostPath, which must exist (the node sync creates it owned by the pod uid)', () => {
    const { pod } = render();
    expect(pod.volumes.filter((v: any) => v.hostPath)).toEqual([{ name: 'models', hostPath: { path: COMFYUI_MODELS_HOST_PATH, type: 'Directory' } }]);
    expect(COMFYUI_MODELS_HOST_PATH).toBe('/mnt/k8s-disks/0/models');
  });

  test('writes outputs to S3 through the claim bound to the team volume, with its own IRSA role scoped to the prefix', () => {
    const { pod, of } = render();
    expect(of('PersistentVolumeClaim')[0].spec.volumeName).toBe('imagegen-comfyui-outputs');
    expect(pod.volumes).toContainEqual({ name: 'outputs', persistentVolumeClaim: { claimName: 'comfyui-outputs', readOnly: false } });
    const policy = JSON.parse(Object.values(of('Role')[0].spec.inlinePolicies)[0] as string);
    expect(policy.Statement.map((s: any) => s.Resource)).toEqual(['arn:aws:s3:::imagegen-outputs-111111111111', 'arn:aws:s3:::imagegen-outputs-111111111111/outputs/*']);
    expect(of('ServiceAccount')[0].metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/dev.imagegen.comfyui' });
  });

  test('creates the outputs bucket private, encrypted and retained', () => {
    const [bucket] = render().of('Bucket');
    expect(bucket.metadata.name).toBe('comfyui-outputs');
    expect(bucket.metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect(bucket.spec.publicAccessBlock).toEqual({ blockPublicACLs: true, blockPublicPolicy: true, ignorePublicACLs: true, restrictPublicBuckets: true });
    expect(render({ createBucket: false }).of('Bucket')).toEqual([]);
  });

  test('declares the models bucket versioned, private, encrypted and retained, in the team naming', () => {
    const models = { bucketName: 'imagegen-models-111111111111-eu-north-1', region: 'eu-north-1' };
    const bucket = render({ models }).of('Bucket').find((b) => b.metadata.name === 'comfyui-models');
    expect(bucket.metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect(bucket.spec).toMatchObject({
      name: 'imagegen-models-111111111111-eu-north-1',
      createBucketConfiguration: { locationConstraint: 'eu-north-1' },
      versioning: { status: 'Enabled' },
      publicAccessBlock: { blockPublicACLs: true, blockPublicPolicy: true, ignorePublicACLs: true, restrictPublicBuckets: true },
      encryption: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] },
    });
    expect(render({ models: { ...models, createBucket: false } }).of('Bucket').map((b) => b.metadata.name)).toEqual(['comfyui-outputs']);
    // The pod never gets credentials for the models bucket: the nodes read it.
    expect(JSON.stringify(render({ models }).of('Role'))).not.toContain('imagegen-models');
  });

  test('fails for a models bucket outside the team naming', () => {
    expect(() => comfyUi({ ...base, models: { bucketName: 'models-111111111111', region: 'eu-north-1' } })).toThrow(
      "'models.bucketName' ('models-111111111111') must start with 'imagegen-': ACK manages only the team's '<team>-*' buckets",
    );
  });

  test('sessions stick to one replica: Kong hashes on a session cookie through a KongUpstreamPolicy the Service names', () => {
    const { of } = render({ replicas: 2 });
    const [policy] = of('KongUpstreamPolicy');
    expect(policy).toMatchObject({
      apiVersion: 'configuration.konghq.com/v1beta1',
      metadata: { name: 'comfyui', namespace: 'imagegen' },
      spec: { algorithm: 'consistent-hashing', hashOn: { cookie: 'comfyui-session', cookiePath: '/' } },
    });
    expect(of('Service')[0].metadata.annotations).toEqual({ 'konghq.com/upstream-policy': 'comfyui' });
  });

  test('is HTTPS only: the Ingress names its TLS host and Secret, cert-manager issues the certificate, Kong redirects HTTP with a 301', () => {
    const [ingress] = render().of('Ingress');
    expect(ingress.spec.tls).toEqual([{ hosts: ['comfyui.dev.example.com'], secretName: 'comfyui-tls' }]);
    expect(ingress.metadata.annotations).toMatchObject({ 'konghq.com/protocols': 'https', 'konghq.com/https-redirect-status-code': '301', 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(render({ tlsIssuer: 'letsencrypt-staging' }).of('Ingress')[0].metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-staging');
    expect(render().of('Secret')).toEqual([]);
  });

  test('the per-IP limit is divided among the Kong proxy pods', () => {
    expect(render({ requestsPerMinute: 30, proxyReplicas: 3 }).of('KongPlugin')[0].config).toEqual({ minute: 10, policy: 'local', limit_by: 'ip' });
  });

  test('is served by a Kong Ingress with a rate-limit plugin', () => {
    const { of } = render({ requestsPerMinute: 12 });
    const [ingress] = of('Ingress');
    expect(ingress.spec.ingressClassName).toBe('kong');
    expect(ingress.metadata.annotations['konghq.com/plugins']).toBe('comfyui-rate-limit');
    expect(ingress.spec.rules[0]).toEqual({ host: 'comfyui.dev.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'comfyui', port: { number: 80 } } } }] } });
    expect(of('KongPlugin')[0]).toMatchObject({ metadata: { name: 'comfyui-rate-limit' }, plugin: 'rate-limiting', config: { minute: 12, policy: 'local' } });
  });

  test('runs a fixed replica count with no CPU HPA, and the PDB never allows evicting the last replica', () => {
    const one = render();
    expect(one.of('HorizontalPodAutoscaler')).toEqual([]);
    expect(one.of('Deployment')[0].spec.replicas).toBe(1);
    expect(one.of('PodDisruptionBudget')[0].spec.maxUnavailable).toBe(0);
    const three = render({ replicas: 3 });
    expect(three.of('Deployment')[0].spec.replicas).toBe(3);
    expect(three.of('PodDisruptionBudget')[0].spec.maxUnavailable).toBe(1);
    expect(() => render({ replicas: 0 })).toThrow(/'replicas' \(0\) must be an integer from 1 to 64/);
  });

  test('pods are do-not-disrupt by default so consolidation never evicts a running job', () => {
    expect(render().of('Deployment')[0].spec.template.metadata.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(render({ doNotDisrupt: false }).of('Deployment')[0].spec.template.metadata.annotations ?? {}).toEqual({});
  });

  test('mounts the models hostPath read-only', () => {
    const { pod } = render();
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'models', mountPath: '/opt/comfyui/models', readOnly: true });
  });

  test('fails for a host the team does not own', () => {
    expect(() => comfyUi({ ...base, host: 'api.dev.example.com' })).toThrow("'host' ('api.dev.example.com') is not a hostname team 'imagegen' owns (comfyui.dev.example.com)");
  });

  test('fails if the team declares no S3 volume for the outputs', () => {
    expect(() => comfyUi({ ...base, team: { ...team, s3Volumes: [] } })).toThrow(/team 'imagegen' declares no S3 volume 'comfyui-outputs'/);
  });
});
