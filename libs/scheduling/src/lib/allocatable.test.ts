import { describe, expect, it } from 'vitest';
import { loadCatalog } from '@flotilla/instance-types';
import { kubeReservedCpu, nodeAllocatable } from './allocatable';
import { resourceList } from './resources';

const byName = (name: string) => loadCatalog().instanceTypes.find((type) => type.name === name)!;
const MI = 1024 ** 2;
const GI = 1024 ** 3;

describe('nodeAllocatable', () => {
  it('reproduces the allocatable of every type in the Karpenter reference data (AL2023 defaults)', () => {
    const mismatches = loadCatalog()
      .instanceTypes.map((type) => {
        const computed = nodeAllocatable(type, { amiFamily: 'al2023' });
        const published = resourceList(type.allocatable);
        const differs = ['cpu', 'memory', 'pods', 'ephemeral-storage', 'nvidia.com/gpu'].filter((name) => Math.abs((computed[name] ?? 0) - (published[name] ?? 0)) > 1e-6);
        return differs.length > 0 ? `${type.name}: ${differs.join(', ')}` : undefined;
      })
      .filter(Boolean);
    expect(mismatches).toEqual([]);
  });

  it('works g5.2xlarge out by hand: 8 vCPU, 32 GiB, 58 pods', () => {
    const allocatable = nodeAllocatable(byName('g5.2xlarge'), { amiFamily: 'al2023' });
    // cpu: 8 − (60m + 10m + 10m + 10m) = 7.91
    expect(allocatable.cpu).toBeCloseTo(7.91, 9);
    // memory: 32768Mi − ceil(32768 × 0.075) = 30310Mi; − (11 × 58 + 255)Mi − 100Mi = 29317Mi
    expect(allocatable.memory).toBe(29317 * MI);
    expect(allocatable['nvidia.com/gpu']).toBe(1);
    expect(kubeReservedCpu(8)).toBeCloseTo(0.09, 9);
  });

  it('honours the EC2NodeClass: instance store RAID0, maxPods, kubeReserved, systemReserved, evictionHard', () => {
    const type = byName('g5.2xlarge');
    const base = nodeAllocatable(type, { amiFamily: 'al2023' });
    const raid = nodeAllocatable(type, { amiFamily: 'al2023', instanceStorePolicy: 'RAID0' });
    // 450 GB of NVMe, − 1Gi kube-reserved, − 10% eviction
    expect(raid['ephemeral-storage']).toBe(450e9 - GI - 45e9);
    const tuned = nodeAllocatable(type, {
      amiFamily: 'al2023',
      kubelet: { maxPods: 20, systemReserved: { cpu: '500m', memory: '1Gi' }, evictionHard: { 'memory.available': '5%' } },
    });
    expect(tuned.pods).toBe(20);
    expect(tuned.cpu).toBeCloseTo(base.cpu - 0.5, 9);
    // AL2023 keeps the ENI-limited pods in the memory formula; 5% of capacity replaces the 100Mi threshold
    expect(tuned.memory).toBe(base.memory + 100 * MI - GI - Math.ceil(30310 * MI * 0.05));
    const bottlerocket = nodeAllocatable(type, { amiFamily: 'bottlerocket', kubelet: { maxPods: 20 } });
    // Bottlerocket counts the configured pods: 11 × (58 − 20) MiB more than AL2023
    expect(bottlerocket.memory).toBe(tuned.memory + 11 * 38 * MI - 100 * MI + Math.ceil(30310 * MI * 0.05) + GI);
  });
});
