import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { nvidiaDevicePlugin } from './nvidia-device-plugin';

const render = (props: Parameters<typeof nvidiaDevicePlugin>[0] = {}) => renderUnit(nvidiaDevicePlugin(props), fixtureCluster('dev', []));

describe('nvidiaDevicePlugin', () => {
  it('installs chart nvidia-device-plugin 0.20.0 from the NVIDIA repository into kube-system, without CRDs', () => {
    const objects = render();
    expect(objects.map((object) => `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`).sort()).toEqual([
      'HelmRelease kube-system/nvidia-device-plugin',
      'HelmRepository kube-system/nvidia-device-plugin',
    ]);
    expect(findObject(objects, 'HelmRepository').spec).toMatchObject({ url: 'https://nvidia.github.io/k8s-device-plugin' });
    expect(findObject(objects, 'HelmRelease').spec).toMatchObject({
      chart: { spec: { chart: 'nvidia-device-plugin', version: '0.20.0' } },
      install: { crds: 'Skip' },
    });
  });

  it('tolerates the GPU taint and selects NVIDIA nodes by their Karpenter label', () => {
    expect((findObject(render(), 'HelmRelease').spec as { values: unknown }).values).toEqual({
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'] }] }],
          },
        },
      },
      gfd: { enabled: false },
    });
  });

  it('rejects a toleration with operator Exists and a value', () => {
    expect(() => nvidiaDevicePlugin({ tolerations: [{ key: 'gpu', operator: 'Exists', value: 'x' }] })).toThrow(/nvidiaDevicePlugin tolerations\[0\] has operator Exists and value 'x'/);
  });
});
