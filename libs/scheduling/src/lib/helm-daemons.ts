import type { NodeSelector, Toleration } from './pod-templates';
import { add, resourceList, type Resources } from './resources';

/**
 * The node DaemonSets a Helm chart renders, derived from a HelmRelease's values the way the chart's
 * templates do. Flux renders the chart in the cluster, so synth never sees these pods; the defaults
 * below are copied from each chart's values.yaml at the pinned version (source in `source`).
 */
export interface ChartDaemon {
  /** The DaemonSet's name as the chart names it (for messages). */
  readonly daemonSet: string;
  readonly tolerations: readonly Toleration[];
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly requiredNodeAffinity?: NodeSelector;
  /** Requests of one pod (all containers). */
  readonly requests: Resources;
  /** CSI drivers whose node side this DaemonSet serves (driver or provider). @default - none */
  readonly csiDrivers?: readonly string[];
  /** Extended resources it advertises (device plugins). @default - none */
  readonly advertises?: readonly string[];
  /** Where in `spec.values` its tolerations go, for fix messages. */
  readonly tolerationsValue: string;
}

export interface ChartDaemonSource {
  /** Chart name as `HelmRelease.spec.chart.spec.chart` names it. */
  readonly chart: string;
  /** Where the defaults were read: repository, tag and commit, files. */
  readonly source: string;
  readonly daemons: (values: Values) => ChartDaemon[];
}

type Values = Record<string, unknown>;

/** Helm's value coalescing: maps merge key by key, lists and scalars replace, null deletes. */
export function coalesceValues(defaults: Values, overrides: Values | undefined): Values {
  const out: Values = { ...defaults };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    const base = out[key];
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(base)) out[key] = coalesceValues(base, value);
    else out[key] = value;
  }
  return out;
}

const isMap = (value: unknown): value is Values => typeof value === 'object' && value !== null && !Array.isArray(value);
const map = (value: unknown): Values => (isMap(value) ? value : {});
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const requestsOf = (resources: unknown): Resources => resourceList(map(resources).requests);
const nodeAffinityOf = (affinity: unknown): NodeSelector | undefined =>
  map(map(affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution as NodeSelector | undefined;
const sum = (...parts: Resources[]): Resources => parts.reduce(add, {});

const notOn = (key: string, values: string[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'NotIn', values }] }] } } });

const MOUNTPOINT_DEFAULTS: Values = {
  node: {
    nodeSelector: {},
    resources: { requests: { cpu: '10m', memory: '40Mi' }, limits: { memory: '256Mi' } },
    tolerateAllTaints: true,
    defaultTolerations: true,
    tolerations: [],
    affinity: notOn('eks.amazonaws.com/compute-type', ['fargate', 'hybrid']),
  },
  sidecars: { nodeDriverRegistrar: { resources: {} }, livenessProbe: { resources: {} } },
};

const SECRETS_STORE_DEFAULTS: Values = {
  linux: {
    enabled: true,
    affinity: notOn('type', ['virtual-kubelet']),
    driver: { resources: { requests: { cpu: '50m', memory: '100Mi' } } },
    registrar: { resources: { requests: { cpu: '10m', memory: '20Mi' } } },
    livenessProbe: { resources: { requests: { cpu: '10m', memory: '20Mi' } } },
    nodeSelector: {},
    tolerations: [{ operator: 'Exists' }],
  },
};

function secretsStoreDriver(values: Values): ChartDaemon[] {
  const linux = map(coalesceValues(SECRETS_STORE_DEFAULTS, values).linux);
  if (linux.enabled === false) return [];
  return [
    {
      daemonSet: 'secrets-store-csi-driver',
      tolerations: list(linux.tolerations),
      nodeSelector: { 'kubernetes.io/os': 'linux', ...(map(linux.nodeSelector) as Record<string, string>) },
      requiredNodeAffinity: nodeAffinityOf(linux.affinity),
      requests: sum(requestsOf(map(linux.driver).resources), requestsOf(map(linux.registrar).resources), requestsOf(map(linux.livenessProbe).resources)),
      csiDrivers: ['secrets-store.csi.k8s.io'],
      tolerationsValue: 'linux.tolerations',
    },
  ];
}

const ASCP_DEFAULTS: Values = {
  affinity: notOn('eks.amazonaws.com/compute-type', ['fargate']),
  resources: { requests: { cpu: '50m', memory: '100Mi' }, limits: { cpu: '50m', memory: '100Mi' } },
  nodeSelector: {},
  tolerations: [],
  'secrets-store-csi-driver': { install: true },
};

const NVIDIA_DEFAULTS: Values = {
  resources: {},
  nodeSelector: {},
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'feature.node.kubernetes.io/pci-10de.present', operator: 'In', values: ['true'] }] },
          { matchExpressions: [{ key: 'feature.node.kubernetes.io/cpu-model.vendor_id', operator: 'In', values: ['NVIDIA'] }] },
          { matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }] },
        ],
      },
    },
  },
  tolerations: [
    { key: 'CriticalAddonsOnly', operator: 'Exists' },
    { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
  ],
  devicePlugin: { enabled: true },
};

/** Charts whose node DaemonSets the scheduling check knows, by chart name. */
export const CHART_DAEMONS: readonly ChartDaemonSource[] = [
  {
    chart: 'aws-mountpoint-s3-csi-driver',
    source: 'awslabs/mountpoint-s3-csi-driver v2.1.0 (83d9ceb6555182811ce0178627530b7bd58b73e9): charts/aws-mountpoint-s3-csi-driver/values.yaml, templates/node.yaml',
    daemons(values) {
      const merged = coalesceValues(MOUNTPOINT_DEFAULTS, values);
      const node = map(merged.node);
      const sidecars = map(merged.sidecars);
      const own = requestsOf(node.resources);
      // The registrar and liveness probe fall back to node.resources (`default .Values.node.resources`).
      const sidecar = (name: string) => (Object.keys(map(map(sidecars[name]).resources)).length > 0 ? requestsOf(map(sidecars[name]).resources) : own);
      const tolerations: Toleration[] = node.tolerateAllTaints
        ? [{ operator: 'Exists' }]
        : node.defaultTolerations
          ? [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 's3.csi.aws.com/agent-not-ready', operator: 'Exists' }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]
          : [];
      return [
        {
          daemonSet: 's3-csi-node',
          tolerations: [...tolerations, ...list<Toleration>(node.tolerations)],
          nodeSelector: map(node.nodeSelector) as Record<string, string>,
          requiredNodeAffinity: nodeAffinityOf(node.affinity),
          requests: sum(own, sidecar('nodeDriverRegistrar'), sidecar('livenessProbe')),
          csiDrivers: ['s3.csi.aws.com'],
          tolerationsValue: 'node.tolerations (or node.tolerateAllTaints)',
        },
      ];
    },
  },
  {
    chart: 'secrets-store-csi-driver',
    source: 'kubernetes-sigs/secrets-store-csi-driver v1.6.0 (4960f9637c51ad9cb9ef264481bc6d9a98bf1f1c): charts/secrets-store-csi-driver/values.yaml, templates/secrets-store-csi-driver.yaml',
    daemons: secretsStoreDriver,
  },
  {
    chart: 'secrets-store-csi-driver-provider-aws',
    source: 'aws/secrets-store-csi-driver-provider-aws chart 2.2.0 (abef2ee94bcd4ae27bcefead85825c3e34cde1df): charts/secrets-store-csi-driver-provider-aws/values.yaml, templates/daemonset.yaml',
    daemons(values) {
      const merged = coalesceValues(ASCP_DEFAULTS, values);
      const subchart = map(merged['secrets-store-csi-driver']);
      return [
        {
          daemonSet: 'secrets-store-csi-driver-provider-aws',
          tolerations: list(merged.tolerations),
          nodeSelector: { 'kubernetes.io/os': 'linux', ...(map(merged.nodeSelector) as Record<string, string>) },
          requiredNodeAffinity: nodeAffinityOf(merged.affinity),
          requests: requestsOf(merged.resources),
          // The driver calls the provider on the node that mounts the volume.
          csiDrivers: ['secrets-store.csi.k8s.io'],
          tolerationsValue: 'tolerations',
        },
        ...(subchart.install === false ? [] : secretsStoreDriver(subchart)),
      ];
    },
  },
  {
    chart: 'nvidia-device-plugin',
    source: 'NVIDIA/k8s-device-plugin v0.20.0 (1b826acc6af3079d8923bac395c3124b8861a9a6): deployments/helm/nvidia-device-plugin/values.yaml, templates/daemonset-device-plugin.yml',
    daemons(values) {
      const merged = coalesceValues(NVIDIA_DEFAULTS, values);
      if (map(merged.devicePlugin).enabled === false) return [];
      return [
        {
          daemonSet: 'nvidia-device-plugin',
          tolerations: list(merged.tolerations),
          nodeSelector: map(merged.nodeSelector) as Record<string, string>,
          requiredNodeAffinity: nodeAffinityOf(merged.affinity),
          requests: requestsOf(merged.resources),
          advertises: ['nvidia.com/gpu'],
          tolerationsValue: 'tolerations',
        },
      ];
    },
  },
];
