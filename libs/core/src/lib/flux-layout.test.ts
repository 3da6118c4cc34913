import { describe, expect, it } from 'vitest';
import { Duration, ackHealthCheck } from '@flotilla/config';
import { configMapUnit, fixtureCluster } from '../testing/fixture-fleet';
import { bootstrapSyncObjects, unitKustomizations } from './flux-layout';

describe('unitKustomizations', () => {
  const cluster = fixtureCluster(
    'dev',
    [
      configMapUnit('karpenter', 'infra-controllers', {}),
      configMapUnit('eso', 'infra-controllers', {}, { flux: { healthCheckExprs: [ackHealthCheck('iam.services.k8s.aws/v1alpha1', 'Role')] } }),
      configMapUnit('karpenter.nodepools', 'infra-configs', {}, { dependsOn: ['karpenter'] }),
      configMapUnit('web', 'apps', {}, { flux: { serviceAccountName: 'flux-team-a', targetNamespace: 'team-a', timeout: Duration.minutes(10) } }),
    ],
    { flux: { interval: Duration.minutes(30) } },
  );
  const byName = new Map(unitKustomizations(cluster).map((k) => [k.metadata.name, k.spec as Record<string, unknown>]));

  it('makes each unit depend on every unit of the nearest earlier layer with units, plus its own dependsOn', () => {
    expect(byName.get('karpenter')!.dependsOn).toBeUndefined();
    expect(byName.get('karpenter.nodepools')!.dependsOn).toEqual([{ name: 'eso' }, { name: 'karpenter' }]);
    // policies has no units, so apps wait for the configs layer
    expect(byName.get('web')!.dependsOn).toEqual([{ name: 'karpenter.nodepools' }]);
  });

  it('takes interval, retryInterval and timeout from the fleet defaults, the cluster and the unit, in that order', () => {
    expect(byName.get('eso')).toMatchObject({ interval: '30m', retryInterval: '2m', timeout: '5m', prune: true, wait: true });
    expect(byName.get('web')).toMatchObject({ interval: '30m', timeout: '10m', serviceAccountName: 'flux-team-a', targetNamespace: 'team-a' });
  });

  it('renders the unit’s CEL health checks so wait means ready in AWS', () => {
    expect(byName.get('eso')!.healthCheckExprs).toEqual([
      {
        apiVersion: 'iam.services.k8s.aws/v1alpha1',
        kind: 'Role',
        current: "status.conditions.exists(c, c.type == 'ACK.ResourceSynced' && c.status == 'True')",
        failed: "status.conditions.exists(c, c.type == 'ACK.Terminal' && c.status == 'True')",
      },
    ]);
    expect(byName.get('karpenter')!.healthCheckExprs).toBeUndefined();
  });

  it('points each Kustomization at its unit folder in the bootstrap GitRepository', () => {
    expect(byName.get('karpenter.nodepools')).toMatchObject({ path: './clusters/dev/infra-configs/karpenter.nodepools', sourceRef: { kind: 'GitRepository', name: 'flux-system' } });
  });
});

describe('bootstrapSyncObjects', () => {
  it('writes the GitRepository and root Kustomization the way flux bootstrap does', () => {
    const [repo, root] = bootstrapSyncObjects(fixtureCluster('prod', [], { git: { url: 'ssh://git@example.com/fleet', branch: 'release' } }));
    expect(repo).toMatchObject({ kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { ref: { branch: 'release' }, secretRef: { name: 'flux-system' }, url: 'ssh://git@example.com/fleet' } });
    expect(root).toMatchObject({ kind: 'Kustomization', spec: { path: './clusters/prod', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } });
  });
});
