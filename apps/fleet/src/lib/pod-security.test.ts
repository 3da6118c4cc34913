import { describe, expect, test } from 'vitest';
import { fleet } from '../index';
import { renderFleet, tenantNamespacesOf, violationsOf } from '../testing';

/**
 * Pod Security "restricted" on the example fleet (issue 15, part 3): `FlotillaRestricted` denies on
 * prod, every tenant workload passes it, and each restricted escape on a real rendered workload is
 * rejected with the object and the rule.
 */
const POD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('pod security restricted on cluster %s', (name, cluster) => {
  const { objects: all } = renderFleet(fleet, { clusters: [name] })[0]!;
  const constraints = all.filter((o) => o.object.kind === 'FlotillaRestricted').map((o) => o.object as any);
  const namespaces = all.filter((o) => o.object.kind === 'Namespace');
  const tenantNamespaces = tenantNamespacesOf(all);
  const workloads = all.filter((o) => POD_KINDS.includes(o.object.kind) && tenantNamespaces.includes(o.object.metadata.namespace!));
  const evaluate = (objects: typeof all) => violationsOf(constraints, objects, namespaces);

  test('one constraint, typed per cluster: deny on prod, warn on dev; the hostPath exemption names the comfyui workload only', () => {
    expect(constraints).toHaveLength(1);
    expect(constraints[0].spec.enforcementAction).toBe(name === 'prod' ? 'deny' : 'warn');
    expect(constraints[0].spec.parameters.exemptions).toEqual([{ namespace: 'imagegen', name: 'comfyui', volumeTypes: ['hostPath'] }]);
  });

  test('every tenant workload of the fleet passes', () => {
    expect(workloads.length).toBeGreaterThanOrEqual(3);
    expect(evaluate(workloads)).toEqual([]);
  });

  const podSpec = (object: any) => (object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec);
  const attacks: [string, (spec: any) => void, RegExp][] = [
    ['a hostPort', (s) => (s.containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }]), /hostPort is not allowed: /],
    ['SYS_ADMIN added', (s) => (s.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']), /capabilities.add may only contain NET_BIND_SERVICE: \S+ \(SYS_ADMIN\)/],
    ['no drop ALL', (s) => (s.containers[0].securityContext.capabilities.drop = []), /capabilities.drop must contain ALL: /],
    ['privilege escalation', (s) => (s.containers[0].securityContext.allowPrivilegeEscalation = true), /allowPrivilegeEscalation must be false: /],
    ['seccomp Unconfined', (s) => (s.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }), /seccompProfile.type must be RuntimeDefault or Localhost: /],
    ['AppArmor Unconfined', (s) => (s.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }), /AppArmor profile must be RuntimeDefault or Localhost: /],
    ['SELinux spc_t', (s) => (s.containers[0].securityContext.seLinuxOptions = { type: 'spc_t' }), /seLinuxOptions may set only type container_t/],
    ['procMount Unmasked', (s) => (s.containers[0].securityContext.procMount = 'Unmasked'), /procMount must be Default: /],
    ['an unsafe sysctl', (s) => (s.securityContext = { ...s.securityContext, sysctls: [{ name: 'kernel.msgmax', value: '65536' }] }), /sysctls outside the safe set are not allowed: kernel.msgmax/],
    ['an nfs volume', (s) => (s.volumes = [...(s.volumes ?? []), { name: 'nfs', nfs: { server: '10.0.0.1', path: '/' } }]), /volume types not allowed: nfs \(nfs\)/],
  ];
  test.each(attacks)('%s in any tenant workload is rejected naming the object and the rule', (_attack, mutate, rule) => {
    for (const workload of workloads) {
      const object = structuredClone(workload.object) as any;
      podSpec(object).containers[0].securityContext ??= {};
      podSpec(object).containers[0].securityContext.capabilities ??= { drop: ['ALL'] };
      mutate(podSpec(object));
      const violations = evaluate([{ ...workload, object }]);
      expect(violations, `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`).toHaveLength(1);
      expect(violations[0]).toMatch(new RegExp(`^${object.kind} ${object.metadata.namespace}/${object.metadata.name}: restricted: ${rule.source}`));
    }
  });

  test('the hostPath exemption is read-only and bound to comfyui: a writable mount, or another workload in imagegen, is rejected', () => {
    const comfyui = workloads.find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'comfyui')!;
    const writable = structuredClone(comfyui.object) as any;
    for (const mount of podSpec(writable).containers[0].volumeMounts) if (mount.name === 'models') mount.readOnly = false;
    expect(evaluate([{ ...comfyui, object: writable }])).toEqual(['Deployment imagegen/comfyui: restricted: hostPath volumes must be mounted readOnly: comfyui']);
    const other = structuredClone(comfyui.object) as any;
    other.metadata.name = 'miner';
    expect(evaluate([{ ...comfyui, object: other }])).toEqual(['Deployment imagegen/miner: restricted: volume types not allowed: models (hostPath)']);
  });

  test('Pod Security Admission: tenant namespaces enforce restricted at the cluster\'s version; imagegen\'s exemption is explicit, with its reason', () => {
    expect(tenantNamespaces.sort()).toEqual(['dj', 'imagegen', 'team-a']);
    const version = `v${cluster.kubernetesVersion}`;
    for (const ns of namespaces.filter((o) => o.object.metadata.labels?.team)) {
      const labels = ns.object.metadata.labels!;
      const enforce = ns.object.metadata.name === 'imagegen' ? 'privileged' : 'restricted';
      expect(labels, ns.object.metadata.name).toMatchObject({
        'pod-security.kubernetes.io/enforce': enforce,
        'pod-security.kubernetes.io/enforce-version': version,
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': version,
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': version,
      });
      if (enforce !== 'restricted') expect(ns.object.metadata.annotations?.['flotilla.dev/pod-security-exemption']).toMatch(/comfyui .*read-only/);
    }
  });
});
