import type { KubeObject, RenderedObject } from '@flotilla/model';
import { describe, expect, it } from 'vitest';
import { checkTenantUnits, resourceOf } from './tenant-units';

// A rendered tree as `flotilla validate` reads it: absolute files under <repo>/clusters/<cluster>/.
const root = '/repo/clusters/edge';
let index = 0;
const at = (file: string, object: KubeObject): RenderedObject => ({ file: `${root}/${file}`, index: index++, cluster: 'edge', object });
const kustomization = (name: string, spec: Record<string, unknown>) =>
  at(`sync/Kustomization.kustomize.toolkit.fluxcd.io_flux-system_${name}.yaml`, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system' }, spec });

const tree: RenderedObject[] = [
  kustomization('web', { path: './clusters/edge/apps/web', serviceAccountName: 'flux-shop', targetNamespace: 'shop' }),
  kustomization('teams', { path: './clusters/edge/infra-configs/teams', serviceAccountName: 'kustomize-controller' }),
  at('infra-configs/teams/Role.rbac.authorization.k8s.io_shop_flux-tenant-reconciler.yaml', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'flux-tenant-reconciler', namespace: 'shop' },
    rules: [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'create'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['create'] },
    ],
  } as KubeObject),
  at('infra-configs/teams/RoleBinding.rbac.authorization.k8s.io_shop_flux-shop.yaml', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'flux-shop', namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flux-tenant-reconciler' },
    subjects: [{ kind: 'ServiceAccount', name: 'flux-shop', namespace: 'flux-system' }],
  } as KubeObject),
  at('apps/web/Deployment_shop_web.yaml', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } }),
  at('apps/web/Ingress.networking.k8s.io_shop_web.yaml', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' } }),
];

describe('checkTenantUnits', () => {
  it('names resources as Kubernetes does', () => {
    expect(['Ingress', 'PodIdentityAssociation', 'Policy', 'Gateway', 'NetworkPolicy', 'Deployment'].map(resourceOf)).toEqual([
      'ingresses',
      'podidentityassociations',
      'policies',
      'gateways',
      'networkpolicies',
      'deployments',
    ]);
  });

  it("accepts a tenant unit of the kinds its account's Role may create, and ignores platform units", () => {
    expect(checkTenantUnits(tree)).toEqual([]);
  });

  it('rejects other kinds, RBAC and cluster-scoped objects of a tenant unit, at their file, naming unit, object and rule', () => {
    const findings = checkTenantUnits([
      ...tree,
      at('apps/web/Service_shop_web.yaml', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } }),
      at('apps/web/RoleBinding.rbac.authorization.k8s.io_shop_admin.yaml', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'admin', namespace: 'shop' } }),
      at('apps/web/StorageClass.storage.k8s.io_fast.yaml', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' } }),
    ]);
    expect(findings.map((f) => [f.code, f.file, f.object, f.cluster])).toEqual([
      ['tenancy/kind-not-allowed', `${root}/apps/web/Service_shop_web.yaml`, 'Service shop/web', 'edge'],
      ['tenancy/rbac', `${root}/apps/web/RoleBinding.rbac.authorization.k8s.io_shop_admin.yaml`, 'RoleBinding shop/admin', 'edge'],
      ['tenancy/cluster-scoped', `${root}/apps/web/StorageClass.storage.k8s.io_fast.yaml`, 'StorageClass fast', 'edge'],
    ]);
    expect(findings[0]!.message).toBe(
      "tenant unit 'web' (Kustomization flux-system/web, applied as flux-system/flux-shop) contains Service web, which is not an allowed tenant kind: flux-shop may create only apps/deployments, networking.k8s.io/ingresses in namespace shop",
    );
    expect(findings.every((f) => f.severity === 'error' && f.fix)).toBe(true);
  });

  it("leaves kinds to the reference check when the unit's account has no RoleBinding in the cluster", () => {
    const unbound = tree.filter((o) => o.object.kind !== 'RoleBinding');
    expect(checkTenantUnits([...unbound, at('apps/web/Service_shop_web.yaml', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } })])).toEqual([]);
  });
});
