import { describe, expect, it } from 'vitest';
import { Duration } from '@flotilla/config';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { GPU_TAINT_TOLERATION } from '@flotilla/constructs';
import type { KubeObject } from '@flotilla/model';
import { secretsStoreCsi, type SecretsStoreCsiProps } from './secrets-store-csi';

const render = (props: SecretsStoreCsiProps = {}) => renderUnit(secretsStoreCsi(props), fixtureCluster('dev', []));
const release = (objects: KubeObject[], name: string) => findObject(objects, 'HelmRelease', name);

describe('secretsStoreCsi', () => {
  it('installs the driver 1.6.0 and ASCP into kube-system without rendering the namespace', () => {
    const objects = render();
    expect(objects.filter((object) => object.kind === 'Namespace')).toEqual([]);
    expect(objects.filter((object) => object.kind === 'HelmRepository').map((object) => object.spec)).toEqual([
      { interval: '1h', url: 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts' },
      { interval: '1h', url: 'https://aws.github.io/secrets-store-csi-driver-provider-aws' },
    ]);
    expect(release(objects, 'secrets-store-csi-driver').spec).toMatchObject({
      chart: { spec: { chart: 'secrets-store-csi-driver', version: '1.6.0' } },
      install: { crds: 'Create' },
      upgrade: { crds: 'CreateReplace' },
    });
    expect(release(objects, 'secrets-store-csi-driver').metadata.annotations).toEqual({ 'flotilla.dev/installs-crds': 'secrets-store.csi.x-k8s.io' });
  });

  it('installs ASCP after the driver, without its driver subchart', () => {
    const provider = release(render(), 'secrets-store-csi-driver-provider-aws');
    expect(provider.metadata.annotations).toBeUndefined();
    expect(provider.spec).toMatchObject({
      chart: { spec: { chart: 'secrets-store-csi-driver-provider-aws', version: '2.2.0' } },
      dependsOn: [{ name: 'secrets-store-csi-driver', namespace: 'kube-system' }],
      values: { 'secrets-store-csi-driver': { install: false } },
      install: { crds: 'Skip' },
    });
  });

  it('lets the AWS provider tolerate listed taints (its chart tolerates none)', () => {
    const provider = release(render({ providerTolerations: [GPU_TAINT_TOLERATION] }), 'secrets-store-csi-driver-provider-aws');
    expect((provider.spec as { values: unknown }).values).toEqual({
      'secrets-store-csi-driver': { install: false },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
  });

  it('mounts only by default and rotates every two minutes', () => {
    expect((release(render(), 'secrets-store-csi-driver').spec as { values: unknown }).values).toEqual({
      syncSecret: { enabled: false },
      enableSecretRotation: true,
      rotationPollInterval: '2m',
      logVerbosity: 0,
    });
    expect((release(render({ syncSecrets: true, rotationPollInterval: Duration.minutes(10), logVerbosity: 2 }), 'secrets-store-csi-driver').spec as { values: unknown }).values).toEqual({
      syncSecret: { enabled: true },
      enableSecretRotation: true,
      rotationPollInterval: '10m',
      logVerbosity: 2,
    });
  });

  it('fails if rotation polls more often than every 30 seconds', () => {
    expect(() => secretsStoreCsi({ rotationPollInterval: Duration.seconds(5) })).toThrow(/rotationPollInterval is 5s/);
  });
});
