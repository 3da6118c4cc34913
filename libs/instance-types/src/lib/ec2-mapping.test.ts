import type { InstanceTypeInfo as Ec2InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog';
import { allocatable, eniLimitedPods, karpenterLabels, toCatalogEntry, unsupportedReason } from './ec2-mapping';
import { g5Xlarge, m6gLarge, p5e48xlarge, t2Micro } from '../testing';

const reference = (name: string) => loadCatalog().instanceTypes.find((type) => type.name === name)!;

/** The reference data carries pod-eni, which the EC2 API cannot provide. */
function withoutPodEni(resources: Readonly<Record<string, string>>): Record<string, string> {
  const { 'vpc.amazonaws.com/pod-eni': _podEni, ...rest } = resources;
  return rest;
}

describe('karpenterLabels', () => {
  it.each([
    ['g5.xlarge (nitro, NVIDIA GPU, local NVMe)', g5Xlarge],
    ['t2.micro (xen, burstable, no EBS optimisation)', t2Micro],
    ['m6g.large (Graviton, arm64)', m6gLarge],
  ])('derives the same labels as the Karpenter reference for %s', (_label, info) => {
    // GIVEN a DescribeInstanceTypes item WHEN it is mapped
    const labels = karpenterLabels(info);
    // THEN every label matches Karpenter's published reference for that type, no more, no less
    expect(labels).toEqual(reference(info.InstanceType!).labels);
  });

  it('sets gpu labels from the single GPU and leaves them out for types without GPUs', () => {
    expect(karpenterLabels(g5Xlarge)).toMatchObject({
      'karpenter.k8s.aws/instance-gpu-name': 'a10g',
      'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia',
      'karpenter.k8s.aws/instance-gpu-count': '1',
      'karpenter.k8s.aws/instance-gpu-memory': '22888',
    });
    expect(Object.keys(karpenterLabels(t2Micro)).filter((key) => key.includes('gpu'))).toEqual([]);
  });

  it('labels bare metal types with an empty hypervisor, as Karpenter does', () => {
    const metal: Ec2InstanceTypeInfo = { ...m6gLarge, InstanceType: 'm6g.metal', BareMetal: true, Hypervisor: undefined };
    expect(karpenterLabels(metal)['karpenter.k8s.aws/instance-hypervisor']).toBe('');
    expect(karpenterLabels(metal)['karpenter.k8s.aws/instance-size']).toBe('metal');
  });

  it('maps a Neuron device to accelerator labels and neuron resources', () => {
    // GIVEN inf2.xlarge, which reports its Inferentia2 chip in NeuronInfo
    const inf2: Ec2InstanceTypeInfo = {
      ...g5Xlarge,
      InstanceType: 'inf2.xlarge',
      GpuInfo: undefined,
      InstanceStorageInfo: undefined,
      InstanceStorageSupported: false,
      ProcessorInfo: { SupportedArchitectures: ['x86_64'], SustainedClockSpeedInGhz: 3.6, Manufacturer: 'AMD' },
      EbsInfo: { ...g5Xlarge.EbsInfo, EbsOptimizedInfo: { ...g5Xlarge.EbsInfo!.EbsOptimizedInfo, MaximumBandwidthInMbps: 10000 } },
      NetworkInfo: {
        ...g5Xlarge.NetworkInfo,
        NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: 4, BaselineBandwidthInGbps: 2.083, PeakBandwidthInGbps: 15 }],
      },
      NeuronInfo: {
        NeuronDevices: [{ Count: 1, Name: 'Inferentia2', CoreInfo: { Count: 2, Version: 2 }, MemoryInfo: { SizeInMiB: 32768 } }],
        TotalNeuronDeviceMemoryInMiB: 32768,
      },
    };
    // WHEN it is mapped THEN labels and allocatable match the reference
    expect(karpenterLabels(inf2)).toEqual(reference('inf2.xlarge').labels);
    expect(allocatable(inf2)).toEqual(withoutPodEni(reference('inf2.xlarge').allocatable));
  });
});

describe('allocatable', () => {
  it.each([
    ['g5.xlarge', g5Xlarge],
    ['t2.micro', t2Micro],
    ['m6g.large', m6gLarge],
  ])('computes the reference allocatable resources of %s (AL2023, ENI-limited pods)', (name, info) => {
    expect(allocatable(info)).toEqual(withoutPodEni(reference(name).allocatable));
  });

  it('limits pods by the ENIs of the default network card', () => {
    expect(eniLimitedPods(g5Xlarge)).toBe(4 * 14 + 2);
    expect(eniLimitedPods(t2Micro)).toBe(2 * 1 + 2);
  });
});

describe('toCatalogEntry', () => {
  it('records the capacity types from SupportedUsageClasses', () => {
    const onDemandOnly: Ec2InstanceTypeInfo = { ...m6gLarge, SupportedUsageClasses: ['on-demand', 'capacity-block'] };
    expect(toCatalogEntry(g5Xlarge).capacityTypes).toEqual(['on-demand', 'spot']);
    expect(toCatalogEntry(onDemandOnly).capacityTypes).toEqual(['on-demand']);
  });

  it('fails if the type is only sold as capacity blocks', () => {
    expect(unsupportedReason(p5e48xlarge)).toBe('usage classes ["capacity-block"] offer neither on-demand nor spot');
    expect(() => toCatalogEntry(p5e48xlarge)).toThrow('instance type p5e.48xlarge cannot be mapped: usage classes ["capacity-block"] offer neither on-demand nor spot');
  });

  it('fails if the architecture is not one Karpenter launches', () => {
    const mac: Ec2InstanceTypeInfo = { ...t2Micro, InstanceType: 'mac1.metal', ProcessorInfo: { SupportedArchitectures: ['x86_64_mac'] } };
    expect(() => toCatalogEntry(mac)).toThrow('instance type mac1.metal cannot be mapped: architectures ["x86_64_mac"] are not amd64 or arm64');
  });
});
