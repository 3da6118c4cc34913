import type { KubeObject, RenderedObject } from '@flotilla/model';

// Inputs for the scheduling tests: plain Kubernetes objects as synth renders them, each in its own
// file of cluster "test". Only the fields a test is about are set.

const file = (object: KubeObject) => `clusters/test/${object.kind}_${object.metadata.namespace ?? ''}_${object.metadata.name}.yaml`;

export function rendered(...objects: KubeObject[]): RenderedObject[] {
  return objects.map((object) => ({ file: file(object), index: 0, object, cluster: 'test' }));
}

export interface PoolOptions {
  readonly requirements?: { key: string; operator: string; values?: string[] }[];
  readonly taints?: { key: string; value?: string; effect: string }[];
  readonly labels?: Record<string, string>;
  /** @default 'al2023@latest' */
  readonly ami?: string;
  readonly kubelet?: Record<string, unknown>;
}

/** A NodePool and its own EC2NodeClass (same name). */
export function pool(name: string, options: PoolOptions = {}): KubeObject[] {
  return [
    {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name },
      spec: { amiSelectorTerms: [{ alias: options.ami ?? 'al2023@latest' }], role: 'node', ...(options.kubelet ? { kubelet: options.kubelet } : {}) },
    },
    {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name },
      spec: {
        template: {
          ...(options.labels ? { metadata: { labels: options.labels } } : {}),
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name },
            requirements: options.requirements ?? [],
            ...(options.taints ? { taints: options.taints } : {}),
          },
        },
      },
    },
  ];
}

export const GPU_TAINT = { key: 'nvidia.com/gpu', effect: 'NoSchedule' };
export const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

/** The example fleet's GPU pool: g5/g6, on-demand, tainted. */
export const gpuPool = (options: PoolOptions = {}) =>
  pool('gpu', {
    requirements: [
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g5', 'g6'] },
    ],
    taints: [GPU_TAINT],
    ...options,
  });

/** A general pool of one instance type, so allocatable is known exactly. */
export const onePool = (type: string, options: PoolOptions = {}) => pool('small', { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: [type] }], ...options });

export interface PodOptions {
  readonly requests?: Record<string, string | number>;
  readonly spec?: Record<string, unknown>;
  readonly initContainers?: Record<string, unknown>[];
}

export function deployment(name: string, options: PodOptions = {}, namespace = 'apps'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'main', image: 'example/app:1', resources: { requests: options.requests ?? { cpu: '100m', memory: '128Mi' } } }],
          ...(options.initContainers ? { initContainers: options.initContainers } : {}),
          ...options.spec,
        },
      },
    },
  };
}

export function daemonSet(name: string, spec: Record<string, unknown>, requests: Record<string, string> = { cpu: '100m', memory: '100Mi' }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'example/agent:1', resources: { requests } }], ...spec } },
    },
  };
}

export function helmRelease(name: string, chart: string, values: Record<string, unknown> = {}, namespace = 'kube-system'): KubeObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace },
    spec: { interval: '1h', chart: { spec: { chart, version: '1.0.0', sourceRef: { kind: 'HelmRepository', name } } }, values },
  };
}

/** A PersistentVolume of `driver`, bound to claim `apps/<name>`, and the claim. */
export function csiVolume(name: string, driver: string): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: `apps-${name}` },
      spec: { capacity: { storage: '1Ti' }, accessModes: ['ReadWriteMany'], csi: { driver, volumeHandle: name }, claimRef: { namespace: 'apps', name }, storageClassName: '' },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'apps' },
      spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Ti' } }, storageClassName: '', volumeName: `apps-${name}` },
    },
  ];
}
