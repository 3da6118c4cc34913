import type { KubeObject, RenderedObject } from '@flotilla/model';
import { describe, expect, it } from 'vitest';
import { checkDirectAccess, directAccessPaths } from './direct-access';

let index = 0;
const at = (file: string, object: KubeObject): RenderedObject => ({ file: `/repo/clusters/prod/${file}`, index: index++, cluster: 'prod', object });
const rbac = 'rbac.authorization.k8s.io/v1';
const namespace = (access: string) => at('infra-configs/teams/Namespace_shop.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', annotations: { 'flotilla.dev/people-access': access } } });
const role = (rules: unknown[]) => at('infra-configs/teams/Role.rbac.authorization.k8s.io_shop_shop-people.yaml', { apiVersion: rbac, kind: 'Role', metadata: { name: 'shop-people', namespace: 'shop' }, rules } as KubeObject);
const binding = (roleRef: { kind: string; name: string }, subjects: unknown[], kind = 'RoleBinding') =>
  at(`infra-configs/teams/${kind}_shop_people.yaml`, { apiVersion: rbac, kind, metadata: { name: 'people', ...(kind === 'RoleBinding' ? { namespace: 'shop' } : {}) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects } as KubeObject);
const people = [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'shop-developers' }];
const awsRole = at('apps/web/PodIdentityAssociation.eks.services.k8s.aws_shop_web.yaml', {
  apiVersion: 'eks.services.k8s.aws/v1alpha1',
  kind: 'PodIdentityAssociation',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { namespace: 'shop', serviceAccount: 'web', clusterName: 'prod' },
});
const READ = ['get', 'list', 'watch'];

describe('directAccessPaths', () => {
  it.each([
    ['pods create', { apiGroups: [''], resources: ['pods'], verbs: ['create'] }, /create pods \(a pod it creates mounts any Secret/],
    ['deployments update', { apiGroups: ['apps'], resources: ['deployments'], verbs: ['update'] }, /update apps\/deployments/],
    ['jobs create', { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create'] }, /create batch\/jobs/],
    ['pods/exec', { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, /create pods\/exec/],
    ['pods/attach over WebSockets', { apiGroups: [''], resources: ['pods/attach'], verbs: ['get'] }, /get pods\/attach/],
    ['pods/portforward', { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }, /create pods\/portforward/],
    ['secrets read', { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }, /list secrets \(reads Secrets\)/],
    ['wildcards', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, /create pods/],
  ])('counts %s as access to Secrets and AWS roles', (_name, rule, expected) => {
    expect(directAccessPaths([rule]).join('; ')).toMatch(expected);
  });

  it('finds no path in read verbs on pods, workloads and logs', () => {
    expect(directAccessPaths([
      { apiGroups: [''], resources: ['pods', 'pods/log', 'configmaps', 'serviceaccounts'], verbs: READ },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: READ },
    ])).toEqual([]);
  });
});

describe('checkDirectAccess', () => {
  it('accepts a read-only namespace whose people read only', () => {
    expect(checkDirectAccess([namespace('read-only'), role([{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: READ }]), binding({ kind: 'Role', name: 'shop-people' }, people), awsRole])).toEqual([]);
  });

  it('rejects pods create for people of a read-only namespace, naming the binding, the group, the path and the AWS roles it reaches', () => {
    const findings = checkDirectAccess([namespace('read-only'), role([{ apiGroups: [''], resources: ['pods'], verbs: ['create', ...READ] }]), binding({ kind: 'Role', name: 'shop-people' }, people), awsRole]);
    expect(findings.map((f) => [f.code, f.severity, f.object, f.cluster, f.path])).toEqual([['tenancy/direct-access', 'error', 'RoleBinding shop/people', 'prod', 'roleRef']]);
    expect(findings[0]!.message).toMatch(/namespace shop allows people read-only access .* gives Group shop-developers Role shop-people, which create pods .*access to the namespace's Secrets and the AWS roles of ServiceAccounts web/);
    expect(findings[0]!.fix).toMatch(/peopleRole 'read-only'/);
  });

  it('rejects the built-in edit ClusterRole and a cluster-wide binding, but not ServiceAccounts (the GitOps path)', () => {
    expect(checkDirectAccess([namespace('read-only'), binding({ kind: 'ClusterRole', name: 'edit' }, people)]).map((f) => f.code)).toEqual(['tenancy/direct-access']);
    expect(checkDirectAccess([namespace('read-only'), binding({ kind: 'ClusterRole', name: 'cluster-admin' }, [{ kind: 'User', name: 'alice' }], 'ClusterRoleBinding')])[0]!.message).toMatch(/User alice ClusterRole cluster-admin/);
    expect(checkDirectAccess([namespace('read-only'), binding({ kind: 'ClusterRole', name: 'edit' }, [{ kind: 'ServiceAccount', name: 'flux-shop', namespace: 'flux-system' }])])).toEqual([]);
    expect(checkDirectAccess([namespace('read-only'), binding({ kind: 'ClusterRole', name: 'view' }, people)])).toEqual([]);
  });

  it('leaves namespaces that allow people to edit alone', () => {
    expect(checkDirectAccess([namespace('edit-no-secrets'), binding({ kind: 'ClusterRole', name: 'edit' }, people)])).toEqual([]);
  });
});
