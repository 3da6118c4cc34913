import type { InstanceTypeInfo as Ec2InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { CapacityType, InstanceTypeInfo } from './catalog';

// Pure mapping of one DescribeInstanceTypes item to a catalog entry, following
// karpenter-provider-aws v1.14 `pkg/providers/instancetype/types.go` (computeRequirements,
// computeCapacity and the overhead functions) with AL2023 defaults and no block device mappings.

const K = 'karpenter.k8s.aws/';
const ARCHITECTURES: Readonly<Record<string, string>> = { x86_64: 'amd64', arm64: 'arm64' };
/** Same pattern as Karpenter's `instanceTypeScheme`: category, optional `-<n>tb`, generation. */
const INSTANCE_TYPE_SCHEME = /^([a-z]+)(-[0-9]+tb)?([0-9]+).*\./;
/** Karpenter's default `--vm-memory-overhead-percent`. */
const VM_MEMORY_OVERHEAD = 0.075;
/** AL2023 root volume (`/dev/xvda`) Karpenter assumes for ephemeral storage, in bytes. */
const AL2023_ROOT_VOLUME_BYTES = 20 * 1024 ** 3;
const GI = 1024 ** 3;

const lowerKebab = (s: string): string => s.replaceAll(' ', '-').toLowerCase();

/** Reason an instance type was left out of the catalog, or undefined if it maps. */
export function unsupportedReason(info: Ec2InstanceTypeInfo): string | undefined {
  if (!info.InstanceType) return 'no InstanceType';
  if (!info.VCpuInfo?.DefaultVCpus) return 'no VCpuInfo.DefaultVCpus';
  if (!info.MemoryInfo?.SizeInMiB) return 'no MemoryInfo.SizeInMiB';
  if (!architectureOf(info)) return `architectures ${JSON.stringify(info.ProcessorInfo?.SupportedArchitectures ?? [])} are not amd64 or arm64`;
  if (capacityTypesOf(info).length === 0) return `usage classes ${JSON.stringify(info.SupportedUsageClasses ?? [])} offer neither on-demand nor spot`;
  return undefined;
}

function architectureOf(info: Ec2InstanceTypeInfo): string | undefined {
  for (const arch of info.ProcessorInfo?.SupportedArchitectures ?? []) if (ARCHITECTURES[arch]) return ARCHITECTURES[arch];
  return undefined;
}

/** `on-demand`/`spot` from `SupportedUsageClasses`; `capacity-block` is not a Karpenter capacity type. */
export function capacityTypesOf(info: Ec2InstanceTypeInfo): CapacityType[] {
  const classes = new Set(info.SupportedUsageClasses ?? []);
  return (['on-demand', 'spot'] as const).filter((ct) => classes.has(ct));
}

/**
 * Network bandwidth in Mbit/s. Karpenter reads it from a table generated from the EC2 docs; the API
 * equivalent is the sum of the network cards' baseline bandwidth.
 */
function networkBandwidthMbps(info: Ec2InstanceTypeInfo): number | undefined {
  const baselines = (info.NetworkInfo?.NetworkCards ?? []).map((card) => card.BaselineBandwidthInGbps).filter((b): b is number => b !== undefined);
  if (baselines.length === 0) return undefined;
  return Math.round(baselines.reduce((sum, b) => sum + b, 0) * 1000);
}

/** Karpenter's well-known labels for one instance type. */
export function karpenterLabels(info: Ec2InstanceTypeInfo): Record<string, string> {
  const name = info.InstanceType!;
  const labels: Record<string, string> = {
    'node.kubernetes.io/instance-type': name,
    'kubernetes.io/arch': architectureOf(info) ?? '',
    'kubernetes.io/os': 'linux',
    [`${K}instance-cpu`]: String(info.VCpuInfo?.DefaultVCpus ?? 0),
    [`${K}instance-memory`]: String(info.MemoryInfo?.SizeInMiB ?? 0),
    // Bare metal types have no hypervisor; Karpenter still sets the label, to "".
    [`${K}instance-hypervisor`]: info.Hypervisor ?? '',
    [`${K}instance-encryption-in-transit-supported`]: String(info.NetworkInfo?.EncryptionInTransitSupported ?? false),
  };
  const scheme = INSTANCE_TYPE_SCHEME.exec(name);
  if (scheme) {
    labels[`${K}instance-category`] = scheme[1];
    labels[`${K}instance-generation`] = scheme[3];
  }
  const parts = name.split('.');
  if (parts.length === 2) {
    labels[`${K}instance-family`] = parts[0];
    labels[`${K}instance-size`] = parts[1];
  }
  labels[`${K}instance-capability-flex`] = String(parts[0].includes('-flex'));
  const storage = info.InstanceStorageInfo;
  if (storage && storage.NvmeSupport !== 'unsupported' && storage.TotalSizeInGB !== undefined) {
    labels[`${K}instance-local-nvme`] = String(storage.TotalSizeInGB);
  }
  const bandwidth = networkBandwidthMbps(info);
  if (bandwidth !== undefined) labels[`${K}instance-network-bandwidth`] = String(bandwidth);
  const gpus = info.GpuInfo?.Gpus ?? [];
  if (gpus.length === 1) {
    labels[`${K}instance-gpu-name`] = lowerKebab(gpus[0].Name ?? '');
    labels[`${K}instance-gpu-manufacturer`] = lowerKebab(gpus[0].Manufacturer ?? '');
    labels[`${K}instance-gpu-count`] = String(gpus[0].Count ?? 0);
    labels[`${K}instance-gpu-memory`] = String(gpus[0].MemoryInfo?.SizeInMiB ?? 0);
  }
  const accelerators = info.InferenceAcceleratorInfo?.Accelerators ?? [];
  const neuronDevices = info.NeuronInfo?.NeuronDevices ?? [];
  if (accelerators.length === 1 && !info.NeuronInfo) {
    labels[`${K}instance-accelerator-name`] = lowerKebab(accelerators[0].Name ?? '');
    labels[`${K}instance-accelerator-manufacturer`] = lowerKebab(accelerators[0].Manufacturer ?? '');
    labels[`${K}instance-accelerator-count`] = String(accelerators[0].Count ?? 0);
  }
  if (neuronDevices.length === 1) {
    labels[`${K}instance-accelerator-name`] = lowerKebab(neuronDevices[0].Name ?? '');
    labels[`${K}instance-accelerator-manufacturer`] = 'aws';
    labels[`${K}instance-accelerator-count`] = String(neuronDevices[0].Count ?? 0);
  }
  if (info.ProcessorInfo) {
    labels[`${K}instance-cpu-manufacturer`] = lowerKebab(info.ProcessorInfo.Manufacturer ?? '');
    labels[`${K}instance-cpu-sustained-clock-speed-mhz`] = String(Math.round((info.ProcessorInfo.SustainedClockSpeedInGhz ?? 0) * 1000));
  }
  const ebs = info.EbsInfo;
  if (ebs?.EbsOptimizedInfo && ebs.EbsOptimizedSupport === 'default') {
    labels[`${K}instance-ebs-bandwidth`] = String(ebs.EbsOptimizedInfo.MaximumBandwidthInMbps ?? 0);
  }
  return labels;
}

/** VPC CNI pod density: usable ENIs on the default network card × (IPv4 per ENI − 1) + 2. */
export function eniLimitedPods(info: Ec2InstanceTypeInfo): number {
  const network = info.NetworkInfo;
  const card = network?.NetworkCards?.[network.DefaultNetworkCardIndex ?? 0];
  const enis = card?.MaximumNetworkInterfaces ?? network?.MaximumNetworkInterfaces ?? 0;
  if (enis === 0) return 0;
  return enis * ((network?.Ipv4AddressesPerInterface ?? 1) - 1) + 2;
}

/** kube-reserved CPU in millicores: 6% of the first core, 1% of the second, 0.5% of cores 3–4, 0.25% above. */
function kubeReservedMillicores(millicores: number): number {
  const ranges: [number, number, number][] = [
    [0, 1000, 0.06],
    [1000, 2000, 0.01],
    [2000, 4000, 0.005],
    [4000, 2 ** 31, 0.0025],
  ];
  let reserved = 0;
  for (const [start, end, percentage] of ranges) {
    if (millicores >= start) reserved += Math.trunc((Math.min(millicores, end) - start) * percentage);
  }
  return reserved;
}

function sumGpus(info: Ec2InstanceTypeInfo, manufacturer: string): number {
  return (info.GpuInfo?.Gpus ?? []).filter((gpu) => gpu.Manufacturer === manufacturer).reduce((n, gpu) => n + (gpu.Count ?? 0), 0);
}

/**
 * Allocatable resources with Karpenter's AL2023 defaults. `vpc.amazonaws.com/pod-eni` is left out:
 * Karpenter takes it from the VPC resource controller's trunking limits, which the EC2 API lacks.
 */
export function allocatable(info: Ec2InstanceTypeInfo): Record<string, string> {
  const vcpus = info.VCpuInfo?.DefaultVCpus ?? 0;
  const pods = eniLimitedPods(info);
  const cpuMillis = vcpus * 1000 - kubeReservedMillicores(vcpus * 1000);
  // Gravitons reserve 64 MiB of CMA memory.
  const mib = (info.MemoryInfo?.SizeInMiB ?? 0) - (info.ProcessorInfo?.SupportedArchitectures?.[0] === 'arm64' ? 64 : 0);
  const capacityMib = mib - Math.ceil(mib * VM_MEMORY_OVERHEAD);
  const memoryMib = capacityMib - (11 * pods + 255) - 100;
  const storage = AL2023_ROOT_VOLUME_BYTES - GI - Math.ceil((AL2023_ROOT_VOLUME_BYTES / 100) * 10);
  const resources: Record<string, string> = {
    cpu: cpuMillis % 1000 === 0 ? String(cpuMillis / 1000) : `${cpuMillis}m`,
    'ephemeral-storage': storage % GI === 0 ? `${storage / GI}Gi` : String(storage),
    memory: `${memoryMib}Mi`,
    pods: String(pods),
  };
  const neuronDevices = info.NeuronInfo?.NeuronDevices ?? [];
  const extended: Record<string, number> = {
    'nvidia.com/gpu': sumGpus(info, 'NVIDIA'),
    'amd.com/gpu': sumGpus(info, 'AMD'),
    'habana.ai/gaudi': sumGpus(info, 'Habana'),
    'aws.amazon.com/neuron': neuronDevices.reduce((n, d) => n + (d.Count ?? 0), 0),
    'aws.amazon.com/neuroncore': neuronDevices.length > 0 ? (neuronDevices[0].Count ?? 0) * (neuronDevices[0].CoreInfo?.Count ?? 0) : 0,
    'vpc.amazonaws.com/efa': info.NetworkInfo?.EfaInfo?.MaximumEfaInterfaces ?? 0,
  };
  // Zero counts are omitted, as in the Karpenter reference data.
  for (const [name, count] of Object.entries(extended)) if (count > 0) resources[name] = String(count);
  return resources;
}

/** One DescribeInstanceTypes item as a catalog entry; throws if {@link unsupportedReason} says it cannot map. */
export function toCatalogEntry(info: Ec2InstanceTypeInfo): InstanceTypeInfo {
  const reason = unsupportedReason(info);
  if (reason) throw new Error(`instance type ${info.InstanceType ?? '(unnamed)'} cannot be mapped: ${reason}`);
  return { name: info.InstanceType!, labels: karpenterLabels(info), allocatable: allocatable(info), capacityTypes: capacityTypesOf(info) };
}
