import { describe, expect, it } from 'vitest';
import { SchemaCatalog } from './catalog';

describe('SchemaCatalog', () => {
  const catalog = SchemaCatalog.load();

  it('finds CRD kinds with their scope and family', () => {
    const nodePool = catalog.find('karpenter.sh/v1', 'NodePool');
    expect(nodePool).toMatchObject({ group: 'karpenter.sh', version: 'v1', scope: 'Cluster', family: 'karpenter' });
    expect(catalog.find('external-secrets.io/v1', 'ExternalSecret')?.scope).toBe('Namespaced');
    expect(catalog.find('iam.aws.upbound.io/v1beta1', 'Role')?.scope).toBe('Cluster');
  });

  it('finds built-in kinds per Kubernetes version with their scope', () => {
    expect(catalog.find('apps/v1', 'Deployment', '1.35')).toMatchObject({ scope: 'Namespaced', family: 'kubernetes' });
    expect(catalog.find('v1', 'Namespace', '1.36')?.scope).toBe('Cluster');
    expect(catalog.find('rbac.authorization.k8s.io/v1', 'ClusterRole')?.scope).toBe('Cluster');
  });

  it('names the served replacement of a version a CRD no longer serves', () => {
    expect(catalog.find('external-secrets.io/v1beta1', 'ExternalSecret')).toBeUndefined();
    expect(catalog.servedReplacement('external-secrets.io/v1beta1', 'ExternalSecret')).toBe('external-secrets.io/v1');
  });

  it('lists served versions and kinds for hints', () => {
    expect(catalog.servedVersions('gateway.networking.k8s.io', 'HTTPRoute').sort()).toEqual([
      'gateway.networking.k8s.io/v1',
      'gateway.networking.k8s.io/v1beta1',
    ]);
    expect(catalog.servedVersions('', 'Pod')).toEqual(['v1']);
    expect(catalog.kindsOf('karpenter.sh').sort()).toEqual(['NodeClaim', 'NodePool']);
  });
});
