import { describe, expect, it } from 'vitest';
import { Duration, type OciDelivery } from '@flotilla/config';
import { configMapUnit, fixtureCluster } from '../testing/fixture-fleet';
import { bootstrapSupportObjects, bootstrapSyncObjects, unitKustomizations } from './flux-layout';

const delivery: OciDelivery = {
  type: 'oci',
  registry: '123456789012.dkr.ecr.eu-north-1.amazonaws.com/flotilla',
  verify: { publicKeySecret: 'flotilla/prod/cosign-public-key' },
  signingKey: { env: 'COSIGN_KEY' },
};

describe('OCI delivery', () => {
  const units = [configMapUnit('web', 'apps', {})];

  it('replaces the GitRepository with a cosign-verified OCIRepository on the moving tag, with the aws provider for ECR', () => {
    const [source, root] = bootstrapSyncObjects(fixtureCluster('prod', units, { delivery }));
    expect(source).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: {
        interval: '1m0s',
        provider: 'aws',
        ref: { tag: 'prod' },
        url: 'oci://123456789012.dkr.ecr.eu-north-1.amazonaws.com/flotilla/prod',
        verify: { provider: 'cosign', secretRef: { name: 'cosign-public-key' } },
      },
    });
    expect(root!.spec).toMatchObject({ path: './clusters/prod', sourceRef: { kind: 'OCIRepository', name: 'flux-system' } });
  });

  it('points unit Kustomizations at the OCIRepository, with the same paths as Git (the artifact keeps clusters/<c>/)', () => {
    const [web, verify] = unitKustomizations(fixtureCluster('prod', units, { delivery }));
    expect(web!.spec).toMatchObject({ path: './clusters/prod/apps/web', sourceRef: { kind: 'OCIRepository', name: 'flux-system' } });
    // The key's ExternalSecret is applied after the store (and so after the External Secrets CRDs).
    expect(verify!.metadata.name).toBe('flux-verify');
    expect(verify!.spec).toMatchObject({ dependsOn: [{ name: 'secret-stores' }], path: './clusters/prod/flux-verify', sourceRef: { kind: 'OCIRepository', name: 'flux-system' } });
  });

  it('delivers the public key through an ExternalSecret, never as data, and takes the typed overrides', () => {
    const custom: OciDelivery = {
      ...delivery,
      registry: 'registry.example.com/fleet',
      repository: 'clusters/prod',
      tag: 'stable',
      interval: Duration.minutes(5),
      verify: { publicKeySecret: 'keys', property: 'cosign', store: { kind: 'SecretStore', name: 'flux' }, secretName: 'verify-key', dependsOn: ['stores', 'eso'] },
    };
    const cluster = fixtureCluster('prod', units, { delivery: custom });
    expect(bootstrapSyncObjects(cluster)[0]!.spec).toEqual({
      interval: '5m',
      ref: { tag: 'stable' },
      url: 'oci://registry.example.com/fleet/clusters/prod',
      verify: { provider: 'cosign', secretRef: { name: 'verify-key' } },
    });
    expect(unitKustomizations(cluster).at(-1)!.spec).toMatchObject({ dependsOn: [{ name: 'eso' }, { name: 'stores' }] });
    expect(bootstrapSupportObjects(cluster)).toEqual([
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'verify-key', namespace: 'flux-system' },
        spec: {
          data: [{ remoteRef: { key: 'keys', property: 'cosign' }, secretKey: 'cosign.pub' }],
          refreshInterval: '1h',
          secretStoreRef: { kind: 'SecretStore', name: 'flux' },
          target: { creationPolicy: 'Orphan', name: 'verify-key' },
        },
      },
    ]);
  });

  it('leaves git clusters as flux bootstrap writes them', () => {
    const cluster = fixtureCluster('dev', units);
    expect(bootstrapSyncObjects(cluster).map((o) => o.kind)).toEqual(['GitRepository', 'Kustomization']);
    expect(bootstrapSupportObjects(cluster)).toEqual([]);
    expect(unitKustomizations(cluster).map((k) => [k.metadata.name, (k.spec as { sourceRef: { kind: string } }).sourceRef.kind])).toEqual([['web', 'GitRepository']]);
  });
});
