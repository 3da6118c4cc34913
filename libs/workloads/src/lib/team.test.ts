import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, test } from 'vitest';
import { Team, type TeamConfig } from './team';

const base: TeamConfig = { name: 'team-a', costCenter: 'cc-1001', group: 'team-a-developers' };

function render(props: { config?: Partial<TeamConfig> } = {}) {
  const chart: Chart = Testing.chart();
  new Team(chart, 'Team', { config: { ...base, ...props.config } });
  return Testing.synth(chart) as any[];
}

const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('Team', () => {
  test('renders a namespace labelled with team and cost-center', () => {
    // GIVEN / WHEN
    const objects = render();
    // THEN
    expect(find(objects, 'Namespace', 'team-a').metadata.labels).toEqual({ team: 'team-a', 'cost-center': 'cc-1001' });
  });

  test('every object carries the team and cost-center labels', () => {
    const objects = render({ config: { s3Volumes: [{ claimName: 'outputs', bucketName: 'outputs-bucket', region: 'eu-north-1' }] } });
    for (const object of objects) expect(object.metadata.labels, `${object.kind}/${object.metadata.name}`).toMatchObject({ team: 'team-a', 'cost-center': 'cc-1001' });
  });

  test('binds the team group by default to a namespaced people Role that reads no Secrets', () => {
    // GIVEN a team without peopleRole WHEN rendered
    const objects = render();
    // THEN the group is bound to the Role <team>-people in its namespace, and nothing to edit
    const binding = find(objects, 'RoleBinding', 'team-a-people');
    expect(binding.metadata.namespace).toBe('team-a');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team-a-people' });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team-a-developers' }]);
    expect(find(objects, 'RoleBinding', 'team-a-edit')).toBeUndefined();
    const role = find(objects, 'Role', 'team-a-people');
    expect(role.metadata.namespace).toBe('team-a');
    const resources = role.rules.flatMap((r: any) => r.resources);
    expect(resources).toEqual(expect.arrayContaining(['deployments', 'pods', 'configmaps', 'services', 'pods/log', 'pods/portforward']));
    for (const forbidden of ['secrets', 'serviceaccounts/token', 'pods/exec', 'pods/attach', '*']) expect(resources, forbidden).not.toContain(forbidden);
    expect(role.rules.flatMap((r: any) => r.verbs)).not.toContain('impersonate');
    expect(role.rules.flatMap((r: any) => r.apiGroups)).not.toContain('*');
    // edits workloads, only reads ServiceAccounts
    expect(role.rules.find((r: any) => r.resources.includes('deployments')).verbs).toEqual(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']);
    expect(role.rules.find((r: any) => r.resources.includes('serviceaccounts')).verbs).toEqual(['get', 'list', 'watch']);
  });

  test("peopleRole 'edit' binds the built-in edit ClusterRole with a RoleBinding in the namespace", () => {
    const objects = render({ config: { peopleRole: 'edit' } });
    const binding = find(objects, 'RoleBinding', 'team-a-edit');
    expect(binding.metadata.namespace).toBe('team-a');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team-a-developers' }]);
    expect(find(objects, 'Role', 'team-a-people')).toBeUndefined();
  });

  test('fails if peopleRole is not a known role', () => {
    expect(() => render({ config: { peopleRole: 'admin' as never } })).toThrow(/'peopleRole' \('admin'\) of team 'team-a' must be one of edit, edit-no-secrets/);
  });

  test('grants no cluster-scoped rights and keeps every RoleBinding in the team namespace', () => {
    // GIVEN a team with workload secrets and a custom namespace
    const objects = render({ config: { namespace: 'payments', workloadSecrets: [{ serviceAccount: 'api', secrets: ['db'] }] } });
    // THEN
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    const bindings = objects.filter((o) => o.kind === 'RoleBinding');
    expect(bindings.length).toBe(3);
    for (const binding of bindings) expect(binding.metadata.namespace).toBe('payments');
    // the only cluster-scoped object is the Namespace itself
    expect(objects.filter((o) => !o.metadata.namespace).map((o) => o.kind)).toEqual(['Namespace']);
  });

  test('grants workloads get on named secrets only', () => {
    const objects = render({ config: { workloadSecrets: [{ serviceAccount: 'web', secrets: ['web-tls', 'web-db'] }] } });
    expect(find(objects, 'Role', 'web-secret-reader').rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['web-db', 'web-tls'], verbs: ['get'] },
    ]);
    expect(find(objects, 'RoleBinding', 'web-secret-reader').subjects).toEqual([{ kind: 'ServiceAccount', name: 'web', namespace: 'team-a' }]);
  });

  test('no Role grants secrets without resourceNames', () => {
    const objects = render({ config: { workloadSecrets: [{ serviceAccount: 'web', secrets: ['web-db'] }] } });
    for (const role of objects.filter((o) => o.kind === 'Role')) {
      for (const rule of role.rules) {
        if (rule.resources.includes('secrets') || rule.resources.includes('*')) expect(rule.resourceNames, role.metadata.name).toBeDefined();
      }
    }
  });

  test('the default ServiceAccount gets no token and no secret access', () => {
    const objects = render({ config: { workloadSecrets: [{ serviceAccount: 'web', secrets: ['web-db'] }] } });
    expect(find(objects, 'ServiceAccount', 'default')).toMatchObject({ metadata: { namespace: 'team-a' }, automountServiceAccountToken: false });
    const subjects = objects.filter((o) => o.kind === 'RoleBinding').flatMap((b) => b.subjects);
    expect(subjects.filter((s: any) => s.kind === 'ServiceAccount' && s.name === 'default')).toEqual([]);
  });

  test('quota and limit range use the defaults', () => {
    const objects = render();
    expect(find(objects, 'ResourceQuota', 'team-a-quota').spec.hard).toEqual({
      'requests.cpu': '8',
      'requests.memory': '16Gi',
      'limits.memory': '16Gi',
      pods: 50,
      persistentvolumeclaims: 10,
      'requests.nvidia.com/gpu': 0,
      'services.loadbalancers': 0,
      'services.nodeports': 0,
    });
    expect(find(objects, 'LimitRange', 'team-a-limits').spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '100m', memory: '256Mi' }, default: { memory: '256Mi' } },
    ]);
  });

  test('quota and container defaults can be overridden', () => {
    const objects = render({
      config: {
        quota: { cpuRequests: kplus.Cpu.millis(1500), memoryRequests: Size.mebibytes(1536), gpus: 2 },
        containerDefaults: { memory: Size.gibibytes(1) },
      },
    });
    const hard = find(objects, 'ResourceQuota', 'team-a-quota').spec.hard;
    expect(hard['requests.cpu']).toBe('1500m');
    expect(hard['requests.memory']).toBe('1536Mi');
    expect(hard['requests.nvidia.com/gpu']).toBe(2);
    expect(find(objects, 'LimitRange', 'team-a-limits').spec.limits[0].default).toEqual({ memory: '1Gi' });
  });

  test('network policies deny by default and open same-namespace, DNS and ingress-controller traffic', () => {
    const objects = render({ config: { ingressControllerNamespace: 'kong-system' } });
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'allow-from-ingress-controller', 'allow-same-namespace', 'default-deny']);
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find(objects, 'NetworkPolicy', 'allow-same-namespace').spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(find(objects, 'NetworkPolicy', 'allow-dns').spec.egress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    expect(find(objects, 'NetworkPolicy', 'allow-from-ingress-controller').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kong-system' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kong', 'app.kubernetes.io/instance': 'kong', 'app.kubernetes.io/component': 'app' } },
          },
        ],
      },
    ]);
  });

  test('only the gateway proxy pods are admitted, never the whole controller namespace', () => {
    const custom = render({ config: { ingressProxyPodLabels: { 'app.kubernetes.io/name': 'gateway' } } });
    expect(find(custom, 'NetworkPolicy', 'allow-from-ingress-controller').spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'gateway' } });
    expect(() => render({ config: { ingressProxyPodLabels: {} } })).toThrow(/'ingressProxyPodLabels' of team '[a-z-]+' is empty, which admits every pod of 'kong'/);
  });

  test('declared egress destinations get their own policy', () => {
    const objects = render({ config: { egress: [{ name: 'postgres', cidr: '10.0.64.0/20', ports: [{ port: 5432 }] }] } });
    expect(find(objects, 'NetworkPolicy', 'allow-egress-postgres').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.0.64.0/20' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
  });


  test('the Flux tenant account lives in flux-system and is bound only in the team namespace to a namespaced Role', () => {
    const objects = render();
    expect(find(objects, 'ServiceAccount', 'flux-team-a').metadata.namespace).toBe('flux-system');
    const binding = find(objects, 'RoleBinding', 'flux-team-a');
    expect(binding.metadata.namespace).toBe('team-a');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flux-tenant-reconciler' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flux-team-a', namespace: 'flux-system' }]);
    const role = find(objects, 'Role', 'flux-tenant-reconciler');
    expect(role.metadata.namespace).toBe('team-a');
    const granted = role.rules.flatMap((r: any) => r.apiGroups.flatMap((g: string) => r.resources.map((res: string) => `${g}/${res}`)));
    // the team cannot rewrite its own fence or mint Secrets
    for (const forbidden of ['/secrets', 'networking.k8s.io/networkpolicies', '/resourcequotas', '/limitranges', 'external-secrets.io/secretstores', '/namespaces']) {
      expect(granted).not.toContain(forbidden);
    }
    expect(granted.filter((g: string) => g.includes('*') || g.startsWith('rbac.authorization.k8s.io/'))).toEqual([]);
  });

  test('fails if the team name is not a DNS label', () => {
    expect(() => render({ config: { name: 'Team_A' } })).toThrow(/'name' \('Team_A'\) must be a DNS label/);
  });

  test('fails if the group is a system group', () => {
    expect(() => render({ config: { group: 'system:masters' } })).toThrow(/'group' \('system:masters'\).*reserved/);
  });

  test('fails if workload secrets are granted to the default ServiceAccount', () => {
    expect(() => render({ config: { workloadSecrets: [{ serviceAccount: 'default', secrets: ['x'] }] } })).toThrow(/'default' ServiceAccount/);
  });

  test('fails if an egress CIDR is malformed', () => {
    expect(() => render({ config: { egress: [{ name: 'db', cidr: '10.0.300.0/20', ports: [{ port: 5432 }] }] } })).toThrow(
      /'egress.db.cidr' \('10.0.300.0\/20'\) must be an IPv4 CIDR/,
    );
  });


  test('fails if the quota allows no pods', () => {
    expect(() => render({ config: { quota: { pods: 0 } } })).toThrow(/'quota.pods' \(0\) must be a whole number from 1/);
  });
});

test('snapshot: a minimal team', () => {
  expect(render()).toMatchSnapshot();
});

describe('Team AWS egress', () => {
  const aws = { name: 'config-demo', podLabels: { 'app.kubernetes.io/name': 'config-demo' }, credentials: 'pod-identity' as const, ipFamily: 'ipv6' as const, endpoints: [{ service: 'appconfigdata', cidr: '10.20.96.0/24', viaVpcEndpoint: true }] };

  test("renders allow-aws-<workload>: the Pod Identity Agent (the cluster's IP family) and HTTPS to each API's route, for the workload's pods only", () => {
    const policy = find(render({ config: { awsEgress: [aws] } }), 'NetworkPolicy', 'allow-aws-config-demo');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'config-demo' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: 80, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '10.20.96.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      ],
    });
    expect(policy.metadata.annotations).toMatchObject({ 'flotilla.dev/aws-services': 'appconfigdata', 'flotilla.dev/aws-credentials': 'pod-identity' });
  });

  test('fails if a workload is declared twice', () => {
    expect(() => render({ config: { awsEgress: [aws, aws] } })).toThrow(/'awsEgress' lists 'config-demo' twice/);
  });
});
