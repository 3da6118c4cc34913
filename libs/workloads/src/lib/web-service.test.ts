import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, test } from 'vitest';
import { ImageReference } from './image-reference';
import { WebService, type WebServiceProps } from './web-service';
import { TEAM_A as team } from '../testing';

const base: WebServiceProps = {
  team,
  name: 'web',
  image: ImageReference.parse('public.ecr.aws/nginx/nginx:1.29.3'),
  resources: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) },
};

function render(overrides: Partial<WebServiceProps> = {}, extra?: (chart: any) => Partial<WebServiceProps>) {
  const chart = Testing.chart();
  const service = new WebService(chart, 'Web', { ...base, ...overrides, ...(extra ? extra(chart) : {}) });
  const objects = Testing.synth(chart) as any[];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return { service, objects, of, deployment: of('Deployment')[0], pod: of('Deployment')[0].spec.template.spec };
}

describe('WebService', () => {
  test('renders Deployment, Service, HPA, PDB and a token-less ServiceAccount', () => {
    const { objects } = render();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/web',
      'HorizontalPodAutoscaler/web',
      'PodDisruptionBudget/web',
      'Service/web',
      'ServiceAccount/web',
    ]);
    expect(objects.find((o) => o.kind === 'ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  test('labels every object and the pod template with team and cost-center', () => {
    const { objects, deployment } = render({ config: { files: { 'a.conf': 'x' }, mountPath: '/etc/app' } });
    for (const object of objects) expect(object.metadata.labels, `${object.kind}`).toMatchObject({ team: 'team-a', 'cost-center': 'cc-1001' });
    expect(deployment.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'web', team: 'team-a', 'cost-center': 'cc-1001' });
  });

  test('selects pods with explicit labels, never a construct hash', () => {
    const { of, deployment } = render();
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expect(of('Service')[0].spec.selector).toEqual({ 'app.kubernetes.io/name': 'web' });
    expect(of('PodDisruptionBudget')[0].spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expect(JSON.stringify(of('Deployment'))).not.toContain('cdk8s.io/metadata.addr');
  });

  test('requests resources with the memory limit equal to the request and no CPU limit by default', () => {
    const { pod } = render();
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } });
  });

  test('a CPU limit and GPUs can be set', () => {
    const { pod } = render({ resources: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), cpuLimit: kplus.Cpu.units(4), gpus: 1 } });
    expect(pod.containers[0].resources).toEqual({
      requests: { cpu: '2', memory: '8192Mi', 'nvidia.com/gpu': 1 },
      limits: { cpu: '4', memory: '8192Mi', 'nvidia.com/gpu': 1 },
    });
  });

  test('hardens the container: non-root, read-only root, no capabilities, RuntimeDefault seccomp', () => {
    const { pod } = render();
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('writable paths get emptyDirs, /tmp by default', () => {
    expect(render().pod.containers[0].volumeMounts).toEqual([{ mountPath: '/tmp', name: 'writable-0' }]);
    expect(render({ writablePaths: ['/tmp', '/run'] }).pod.volumes).toEqual([
      { emptyDir: {}, name: 'writable-0' },
      { emptyDir: {}, name: 'writable-1' },
    ]);
  });

  test('spreads pods across zones and hosts by default', () => {
    const spread = render().pod.topologySpreadConstraints;
    expect(spread.map((c: any) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(spread[0]).toEqual({ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } });
    expect(render({ spread: false }).pod.topologySpreadConstraints).toBeUndefined();
  });

  test('leaves replicas to the HPA, which scales on CPU between the defaults 2 and 4', () => {
    const { deployment, of } = render();
    expect(deployment.spec.replicas).toBeUndefined();
    expect(of('HorizontalPodAutoscaler')[0]).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 4,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    });
    expect(of('PodDisruptionBudget')[0].spec.maxUnavailable).toBe(1);
  });

  test('replicas, target utilisation and PDB can be overridden', () => {
    const { of } = render({ minReplicas: 3, maxReplicas: 9, targetCpuUtilizationPercent: 50, maxUnavailable: 2 });
    expect(of('HorizontalPodAutoscaler')[0].spec).toMatchObject({ minReplicas: 3, maxReplicas: 9, metrics: [{ resource: { target: { averageUtilization: 50 } } }] });
    expect(of('PodDisruptionBudget')[0].spec.maxUnavailable).toBe(2);
  });

  test('autoscale false runs exactly minReplicas with no HPA; pod annotations and a zero-eviction PDB can be set', () => {
    const { deployment, of } = render({ minReplicas: 3, autoscale: false, maxUnavailable: 0, podAnnotations: { 'karpenter.sh/do-not-disrupt': 'true' } });
    expect(deployment.spec.replicas).toBe(3);
    expect(of('HorizontalPodAutoscaler')).toEqual([]);
    expect(of('PodDisruptionBudget')[0].spec.maxUnavailable).toBe(0);
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(() => render({ maxUnavailable: -1 })).toThrow(/maxUnavailable/);
  });

  test('probes: HTTP readiness on the port by default, typed overrides', () => {
    expect(render().pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/', port: 8080, scheme: 'HTTP' });
    const { pod } = render({
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080, periodSeconds: Duration.seconds(5) }),
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
    });
    expect(pod.containers[0].readinessProbe).toMatchObject({ httpGet: { path: '/ready' }, periodSeconds: 5 });
    expect(pod.containers[0].livenessProbe.httpGet.path).toBe('/healthz');
  });

  test('config is mounted read-only from a hashed immutable ConfigMap, so a change rolls the pods', () => {
    const first = render({ config: { files: { 'app.conf': 'a=1' }, mountPath: '/etc/app' } });
    const second = render({ config: { files: { 'app.conf': 'a=2' }, mountPath: '/etc/app' } });
    const map = first.of('ConfigMap')[0];
    expect(map.immutable).toBe(true);
    expect(first.pod.volumes).toContainEqual({ configMap: { name: map.metadata.name }, name: 'config' });
    expect(first.pod.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/app', name: 'config', readOnly: true });
    expect(second.pod.volumes).not.toContainEqual({ configMap: { name: map.metadata.name }, name: 'config' });
  });

  test('node selection and tolerations for dedicated pools', () => {
    const { pod } = render({ nodeSelector: { 'karpenter.sh/nodepool': 'gpu' }, tolerations: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] });
    expect(pod.nodeSelector).toEqual({ 'karpenter.sh/nodepool': 'gpu' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('uses a given ServiceAccount instead of its own', () => {
    const { objects, pod } = render({}, (chart) => ({ serviceAccount: new kplus.ServiceAccount(chart, 'Sa', { metadata: { name: 'custom', namespace: 'team-a' } }) }));
    expect(pod.serviceAccountName).toBe('custom');
    expect(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name)).toEqual(['custom']);
  });

  test('fails if maxReplicas is below minReplicas', () => {
    expect(() => render({ minReplicas: 3, maxReplicas: 2 })).toThrow(/'maxReplicas' \(2\) must be >= 'minReplicas' \(3\)/);
  });

  test('fails if the container port is privileged', () => {
    expect(() => render({ containerPort: 80 })).toThrow(/'containerPort' \(80\) must be a whole number from 1024 to 65535/);
  });

  test('fails if the CPU limit is below the request', () => {
    expect(() => render({ resources: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(128), cpuLimit: kplus.Cpu.millis(200) } })).toThrow(
      /'resources.cpuLimit' \(200m\) must be >= 'resources.cpu' \(500m\)/,
    );
  });

  test('fails if the name is not a DNS label', () => {
    expect(() => render({ name: 'Web_1' })).toThrow(/'name' \('Web_1'\) must be a DNS label/);
  });
});

test('snapshot: a minimal web service', () => {
  expect(render().objects).toMatchSnapshot();
});
