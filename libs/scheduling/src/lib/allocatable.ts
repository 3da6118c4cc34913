import type { InstanceTypeInfo } from '@flotilla/instance-types';
import { quantity, resourceList, subtract, type Resources } from './resources';

// Allocatable resources of a node as Karpenter computes them before it launches one, following
// aws/karpenter-provider-aws v1.14.1 (commit bde00654cd316fddb3dccfba3f5ac07039865429),
// pkg/providers/instancetype/types.go: NewInstanceType, computeCapacity, memory, pods,
// ephemeralStorage, kubeReservedResources, systemReservedResources, evictionThreshold; AMI family
// feature flags from pkg/providers/amifamily/{resolver,bottlerocket}.go.
//
//   allocatable = capacity − kubeReserved − systemReserved − evictionThreshold
//   capacity.cpu     = vCPUs
//   capacity.memory  = MiB (− 64 MiB CMA on arm64) − ceil(that × vmMemoryOverheadPercent)   (default 0.075)
//   capacity.pods    = kubelet.maxPods, else the ENI-limited pod count; min(podsPerCore × vCPUs) on AL2023
//   capacity.ephemeral-storage = instance store (RAID0), else the root/ephemeral EBS volume, else 20Gi
//   kubeReserved.cpu = 6% of the first core + 1% of the second + 0.5% of cores 3–4 + 0.25% of the rest
//   kubeReserved.memory = 11 MiB × pods + 255 MiB (AL2023 counts ENI-limited pods even with maxPods)
//   kubeReserved.ephemeral-storage = 1Gi; kubelet.kubeReserved entries replace these
//   systemReserved  = kubelet.systemReserved (none by default)
//   evictionThreshold.memory = 100Mi, ephemeral-storage = 10% of capacity; kubelet.evictionHard
//     `memory.available` / `nodefs.available` replace them (a percentage is of capacity)
//   extended resources (nvidia.com/gpu, aws.amazon.com/neuron, vpc.amazonaws.com/efa, …) are the
//     device counts; a node only advertises them when a device plugin runs there (see device-plugins.ts)

/** AMI families as `amiSelectorTerms[].alias` names them. */
export type AmiFamilyName = 'al2023' | 'al2' | 'bottlerocket' | 'windows2019' | 'windows2022' | 'windows2025' | 'custom';

/** `EC2NodeClass.spec.kubelet`, the fields that change allocatable. */
export interface KubeletSettings {
  /** @default - ENI-limited pod density */
  readonly maxPods?: number;
  /** @default - no per-core limit */
  readonly podsPerCore?: number;
  /** @default - Karpenter's formulas */
  readonly kubeReserved?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly systemReserved?: Readonly<Record<string, string>>;
  /** @default - memory.available 100Mi, nodefs.available 10% */
  readonly evictionHard?: Readonly<Record<string, string>>;
}

/** What of an EC2NodeClass decides a node's allocatable resources. */
export interface NodeClassSettings {
  readonly amiFamily: AmiFamilyName;
  /** @default - no kubelet overrides */
  readonly kubelet?: KubeletSettings;
  /** @default - the AMI family's default volumes */
  readonly blockDeviceMappings?: readonly { readonly deviceName?: string; readonly rootVolume?: boolean; readonly ebs?: { readonly volumeSize?: string } }[];
  /** @default - instance store unused */
  readonly instanceStorePolicy?: string;
}

/** Karpenter's `--vm-memory-overhead-percent` default. */
export const DEFAULT_VM_MEMORY_OVERHEAD_PERCENT = 0.075;
const MI = 1024 ** 2;
const GI = 1024 ** 3;
const DEFAULT_VOLUME_BYTES = 20 * GI;
const EXTENDED_RESOURCES_FROM_CATALOG = ['nvidia.com/gpu', 'amd.com/gpu', 'habana.ai/gaudi', 'aws.amazon.com/neuron', 'aws.amazon.com/neuroncore', 'vpc.amazonaws.com/efa', 'vpc.amazonaws.com/pod-eni'];

/** Families whose memory overhead counts ENI-limited pods, and which honour podsPerCore (Karpenter's FeatureFlags). */
const ENI_LIMITED_MEMORY_OVERHEAD = new Set<AmiFamilyName>(['al2023', 'al2', 'custom']);
const PODS_PER_CORE = new Set<AmiFamilyName>(['al2023', 'al2', 'custom', 'windows2019', 'windows2022', 'windows2025']);
const EPHEMERAL_DEVICE: Partial<Record<AmiFamilyName, string>> = { al2023: '/dev/xvda', al2: '/dev/xvda', bottlerocket: '/dev/xvdb' };

/** kube-reserved CPU in cores for `vcpus` (Karpenter's ranges, truncated to whole millicores per range). */
export function kubeReservedCpu(vcpus: number): number {
  const millis = vcpus * 1000;
  let reserved = 0;
  for (const [start, end, percentage] of [
    [0, 1000, 0.06],
    [1000, 2000, 0.01],
    [2000, 4000, 0.005],
    [4000, 2 ** 31, 0.0025],
  ] as const) {
    if (millis >= start) reserved += Math.trunc((Math.min(millis, end) - start) * percentage);
  }
  return reserved / 1000;
}

function capacityOf(type: InstanceTypeInfo, nodeClass: NodeClassSettings, vmMemoryOverheadPercent: number): { capacity: Resources; eniPods: number } {
  const vcpus = Number(type.labels['karpenter.k8s.aws/instance-cpu'] ?? 0);
  const mib = Number(type.labels['karpenter.k8s.aws/instance-memory'] ?? 0) - (type.labels['kubernetes.io/arch'] === 'arm64' ? 64 : 0);
  const memory = (mib - Math.ceil(mib * vmMemoryOverheadPercent)) * MI;
  const eniPods = quantity(type.allocatable.pods) ?? 110;
  const kubelet = nodeClass.kubelet ?? {};
  let pods = kubelet.maxPods ?? (nodeClass.amiFamily.startsWith('windows') ? 110 : eniPods);
  if (kubelet.podsPerCore && kubelet.podsPerCore > 0 && PODS_PER_CORE.has(nodeClass.amiFamily)) pods = Math.min(pods, kubelet.podsPerCore * vcpus);
  const capacity: Resources = { cpu: vcpus, memory, pods, 'ephemeral-storage': ephemeralStorage(type, nodeClass) };
  for (const name of EXTENDED_RESOURCES_FROM_CATALOG) {
    const count = quantity(type.allocatable[name]);
    if (count) capacity[name] = count;
  }
  return { capacity, eniPods };
}

function ephemeralStorage(type: InstanceTypeInfo, nodeClass: NodeClassSettings): number {
  const nvmeGb = type.labels['karpenter.k8s.aws/instance-local-nvme'];
  if (nodeClass.instanceStorePolicy === 'RAID0' && nvmeGb !== undefined) return Number(nvmeGb) * 1e9;
  const mappings = nodeClass.blockDeviceMappings ?? [];
  const root = mappings.find((mapping) => mapping.rootVolume)?.ebs?.volumeSize;
  if (root !== undefined) return quantity(root) ?? DEFAULT_VOLUME_BYTES;
  const device = EPHEMERAL_DEVICE[nodeClass.amiFamily];
  const ephemeral = mappings.find((mapping) => mapping.deviceName === device)?.ebs?.volumeSize;
  return (ephemeral !== undefined ? quantity(ephemeral) : undefined) ?? DEFAULT_VOLUME_BYTES;
}

function evictionSignal(capacity: number, value: string): number {
  if (value.endsWith('%')) {
    const percent = Number(value.slice(0, -1));
    return Math.ceil((capacity / 100) * (percent === 100 ? 0 : percent));
  }
  return quantity(value) ?? 0;
}

/**
 * Allocatable resources of a node of `type` launched with `nodeClass`, as Karpenter computes them
 * when it decides whether a pod fits (formula in the comment at the top of this file).
 */
export function nodeAllocatable(type: InstanceTypeInfo, nodeClass: NodeClassSettings, vmMemoryOverheadPercent = DEFAULT_VM_MEMORY_OVERHEAD_PERCENT): Resources {
  const { capacity, eniPods } = capacityOf(type, nodeClass, vmMemoryOverheadPercent);
  const kubelet = nodeClass.kubelet ?? {};
  const podsForMemory = ENI_LIMITED_MEMORY_OVERHEAD.has(nodeClass.amiFamily) ? eniPods : capacity.pods;
  const kubeReserved: Resources = {
    cpu: kubeReservedCpu(capacity.cpu),
    memory: (11 * podsForMemory + 255) * MI,
    'ephemeral-storage': GI,
    ...resourceList(kubelet.kubeReserved),
  };
  const eviction: Resources = { memory: 100 * MI, 'ephemeral-storage': Math.ceil((capacity['ephemeral-storage'] / 100) * 10) };
  const hard = kubelet.evictionHard ?? {};
  if (hard['memory.available'] !== undefined) eviction.memory = evictionSignal(capacity.memory, hard['memory.available']);
  if (hard['nodefs.available'] !== undefined) eviction['ephemeral-storage'] = evictionSignal(capacity['ephemeral-storage'], hard['nodefs.available']);
  return subtract(subtract(subtract(capacity, kubeReserved), resourceList(kubelet.systemReserved)), eviction);
}
