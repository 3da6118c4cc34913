import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { join } from 'node:path';
import { fixtureCluster } from '@flotilla/core/testing';
import { compileTemplate, constraintProblems, evaluatePolicies, policyTemplates } from '@flotilla/policy';
import { findRepoRoot, type KubeObject } from '@flotilla/model';
import { SchemaValidator } from '@flotilla/validate';
import { ADDON_NAMESPACES, clusterConstraints, PLATFORM_WORKLOAD_NAMESPACES, SYSTEM_NAMESPACES, type ClusterPolicySettings } from './cluster-constraints';
import { gatekeeperPolicies } from './gatekeeper-policies-unit';

const POLICIES = join(findRepoRoot(), 'policies');

const ecr = '123456789012.dkr.ecr.eu-north-1.amazonaws.com/';
const dev: ClusterPolicySettings = { allowedRepositories: [ecr, 'public.ecr.aws/'], requireImageDigests: false };
const prod: ClusterPolicySettings = {
  allowedRepositories: [ecr],
  requireImageDigests: true,
  routeRateLimit: { acceptedPlugins: ['rate-limit-default'] },
};
const byName = (constraints: KubeObject[], name: string) => constraints.find((c) => c.metadata.name === name)! as KubeObject & { spec: any };
const cluster = fixtureCluster('dev', []);

function deployment(namespace: string, image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace, labels: { team: 'team-a', 'cost-center': 'cc-1001' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          automountServiceAccountToken: false,
          serviceAccountName: 'web',
          securityContext: { runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image,
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
              securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
          ...extra,
        },
      },
    },
  };
}

function violations(settings: ClusterPolicySettings, objects: KubeObject[]) {
  return evaluatePolicies({ templates: [...policyTemplates(POLICIES)], constraints: clusterConstraints(settings), objects: objects.map((object, index) => ({ file: `f${index}`, index, object })) });
}

describe('clusterConstraints', () => {
  it('renders one constraint per policy, all excluding the system and add-on namespaces', () => {
    // GIVEN / WHEN
    const constraints = clusterConstraints(dev);
    // THEN
    expect(constraints.map((c) => `${c.kind}/${c.metadata.name}`)).toEqual([
      'FlotillaAllowedRepos/allowed-repositories',
      'FlotillaImageTags/image-tags',
      'FlotillaRequiredLabels/team-and-cost-center',
      'FlotillaContainerResources/container-resources',
      'FlotillaHostIsolation/host-isolation',
      'FlotillaRunAsNonRoot/run-as-non-root',
      'FlotillaRestricted/pod-security-restricted',
      'FlotillaDefaultServiceAccountToken/default-service-account-token',
      'FlotillaExternalSecretStore/external-secret-stores',
      'FlotillaTenantServices/tenant-services',
      'FlotillaRouteHostnames/route-hostnames',
      'FlotillaKongTenancy/kong-tenancy',
      'FlotillaTenantFluxAccount/tenant-flux-account',
    ]);
    const excluded = [...SYSTEM_NAMESPACES, ...ADDON_NAMESPACES].sort();
    expect(excluded).toEqual(['ack-system', 'cert-manager', 'crossplane-system', 'external-secrets', 'flux-system', 'gatekeeper-system', 'karpenter', 'kong', 'kube-node-lease', 'kube-public', 'kube-system', 'ratify', 'reloader']);
    // Mountpoint's mount-s3 (CONTROLLER_POD_NAMESPACES) is skipped only where its pods cannot comply by construction.
    const controllerPodSkips = ['allowed-repositories', 'image-tags', 'team-and-cost-center', 'container-resources', 'default-service-account-token'];
    for (const constraint of constraints) {
      expect(constraint.apiVersion).toBe('constraints.gatekeeper.sh/v1beta1');
      expect((constraint.spec as any).enforcementAction).toBe('deny');
      // Platform workload namespaces (the metrics collector) skip only the team-ownership labels.
      const platform = constraint.metadata.name === 'team-and-cost-center' ? PLATFORM_WORKLOAD_NAMESPACES : [];
      const controllerPods = controllerPodSkips.includes(constraint.metadata.name) ? ['mount-s3'] : [];
      expect((constraint.spec as any).match.excludedNamespaces, constraint.metadata.name).toEqual([...excluded, ...platform, ...controllerPods].sort());
    }
    expect(clusterConstraints({ ...dev, controllerPodNamespaces: [] }).every((c) => !(c.spec as any).match.excludedNamespaces.includes('mount-s3'))).toBe(true);
    expect(() => clusterConstraints({ ...dev, controllerPodNamespaces: [{ namespace: 'mount-s3', controller: '', reason: 'x' }] })).toThrow(
      /controllerPodNamespaces\[0\] needs the controller that creates the pods and the reason/,
    );
  });

  it('dev: allowed repositories, tags without digests, no rate limiting, no hostPath exemptions', () => {
    const constraints = clusterConstraints(dev);
    expect(byName(constraints, 'allowed-repositories').spec.parameters).toEqual({ repos: [ecr, 'public.ecr.aws/'] });
    expect(byName(constraints, 'image-tags').spec.parameters).toEqual({ requireDigest: false, disallowedTags: ['latest'] });
    expect(byName(constraints, 'host-isolation').spec.parameters).toEqual({});
    expect(byName(constraints, 'route-rate-limit')).toBeUndefined();
  });

  it('prod: digests required and Kong rate limiting on external Ingresses and HTTPRoutes', () => {
    const constraints = clusterConstraints(prod);
    expect(byName(constraints, 'image-tags').spec.parameters).toEqual({ requireDigest: true, disallowedTags: ['latest'] });
    const rate = byName(constraints, 'route-rate-limit');
    expect(rate.kind).toBe('FlotillaRouteRateLimit');
    expect(rate.spec.parameters).toEqual({ enabled: true, acceptedPlugins: ['rate-limit-default'], externalIngressClasses: ['kong'] });
    expect(rate.spec.match.kinds).toEqual([
      { apiGroups: ['networking.k8s.io'], kinds: ['Ingress'] },
      { apiGroups: ['gateway.networking.k8s.io'], kinds: ['HTTPRoute'] },
    ]);
  });

  it('requires team and cost-center on Namespaces and workloads, with an optional cost-center pattern', () => {
    const labels = byName(clusterConstraints({ ...dev, costCenterPattern: '^cc-[0-9]{4}$' }), 'team-and-cost-center');
    expect(labels.spec.parameters.labels).toEqual([{ key: 'team' }, { key: 'cost-center', allowedRegex: '^cc-[0-9]{4}$' }]);
    expect(labels.spec.match.kinds).toEqual([
      { apiGroups: [''], kinds: ['Namespace'] },
      { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
      { apiGroups: ['batch'], kinds: ['Job', 'CronJob'] },
    ]);
    expect(labels.spec.match.excludedNamespaces).toContain('metrics');
    expect(byName(clusterConstraints({ ...dev, platformWorkloadNamespaces: [] }), 'team-and-cost-center').spec.match.excludedNamespaces).not.toContain('metrics');
    // every pod constraint still checks the platform workload namespaces
    expect(byName(clusterConstraints(dev), 'pod-security-restricted').spec.match.excludedNamespaces).not.toContain('metrics');
  });

  it('renders exact hostPath exemptions with their reasons', () => {
    const host = byName(clusterConstraints({ ...dev, hostPathExemptions: [{ namespace: 'team-ml', workload: 'web', path: '/mnt/instance-store', reason: 'gpu-inference caches models on the RAID0 instance store' }] }), 'host-isolation');
    expect(host.spec.parameters).toEqual({ allowedHostPaths: [{ namespace: 'team-ml', path: '/mnt/instance-store' }] });
    expect(host.metadata.annotations).toEqual({ 'flotilla.dev/host-path-exemptions': 'team-ml:/mnt/instance-store: gpu-inference caches models on the RAID0 instance store' });
  });

  it('fails if a hostPath exemption is not exact or has no reason', () => {
    const exempt = (namespace: string, path: string, reason = 'needed', workload = 'gpu-inference') => () => clusterConstraints({ ...dev, hostPathExemptions: [{ namespace, workload, path, reason }] });
    expect(exempt('team-ml', '/mnt/*')).toThrow(/hostPathExemptions\[0\] path "\/mnt\/\*" must be an absolute path without globs/);
    expect(exempt('team-ml', '/')).toThrow(/the root "\/" is never allowed/);
    expect(exempt('team-ml', '/mnt/data/')).toThrow(/trailing '\/'/);
    expect(exempt('team-ml', '/mnt/../etc')).toThrow(/'\.\.'/);
    expect(exempt('team-*', '/mnt/data')).toThrow(/namespace "team-\*" is not a namespace name \(exact names only/);
    expect(exempt('kube-system', '/mnt/data')).toThrow(/excluded from all constraints already/);
    expect(exempt('team-ml', '/mnt/data', ' ')).toThrow(/reason is empty/);
    expect(exempt('team-ml', '/mnt/data', 'needed', '*')).toThrow(/hostPathExemptions\[0\] workload "\*" is not a workload name/);
  });

  it('fails if repositories are empty or use wildcards', () => {
    expect(() => clusterConstraints({ ...dev, allowedRepositories: [] })).toThrow(/allowedRepositories is empty/);
    expect(() => clusterConstraints({ ...dev, allowedRepositories: ['docker.io/*'] })).toThrow(/entry "docker.io\/\*" is not a registry or repository prefix/);
  });

  it('fails if rate limiting names no plugin', () => {
    expect(() => clusterConstraints({ ...prod, routeRateLimit: { acceptedPlugins: [] } })).toThrow(/routeRateLimit.acceptedPlugins is empty/);
  });

  it('produces constraints whose parameters match their templates\' schemas', () => {
    const templates = new Map(policyTemplates(POLICIES).map((t) => [compileTemplate(t).kind, compileTemplate(t)]));
    for (const settings of [dev, prod, { ...dev, hostPathExemptions: [{ namespace: 'team-ml', workload: 'web', path: '/mnt/instance-store', reason: 'r' }], runAsNonRootExemptImages: ['ghcr.io/acme/legacy*'], allowedClusterSecretStores: ['platform-secrets'] }]) {
      for (const constraint of clusterConstraints(settings)) {
        const template = templates.get(constraint.kind);
        expect(template, constraint.kind).toBeDefined();
        expect(constraintProblems(template!, constraint)).toEqual([]);
      }
    }
  });
});

describe('constraints on workloads', () => {
  it('prod denies a tag-only image in a team namespace where dev allows it', () => {
    const web = deployment('team-a', `${ecr}web:1.2.3`);
    expect(violations(dev, [web])).toEqual([]);
    expect(violations(prod, [web]).map((v) => v.constraintName)).toEqual(['image-tags']);
    expect(violations(prod, [deployment('team-a', `${ecr}web@sha256:${'a'.repeat(64)}`)])).toEqual([]);
  });

  it('denies images from other registries and hostPath volumes except the exact exemption, and skips add-on namespaces', () => {
    expect(violations(dev, [deployment('team-a', 'docker.io/library/nginx:1.29')]).map((v) => v.constraintName)).toEqual(['allowed-repositories']);
    expect(violations(dev, [deployment('karpenter', 'docker.io/library/nginx:1.29')])).toEqual([]);
    const withHostPath = (namespace: string, path: string) => deployment(namespace, `${ecr}gpu:1.0.0`, { volumes: [{ name: 'scratch', hostPath: { path } }] });
    const exempt: ClusterPolicySettings = { ...dev, hostPathExemptions: [{ namespace: 'team-ml', workload: 'web', path: '/mnt/instance-store', reason: 'model cache' }] };
    expect(violations(exempt, [withHostPath('team-ml', '/mnt/instance-store')])).toEqual([]);
    expect(violations(exempt, [withHostPath('team-ml', '/mnt/instance-store/sub')]).map((v) => v.constraintName)).toEqual(['host-isolation']);
    expect(violations(exempt, [withHostPath('team-a', '/mnt/instance-store')]).map((v) => v.constraintName)).toEqual(['host-isolation', 'pod-security-restricted']);
  });

  it('binds a hostPath exemption to its workload, read-only, and denies restricted escapes (warn where typed so)', () => {
    const exempt: ClusterPolicySettings = { ...dev, hostPathExemptions: [{ namespace: 'team-ml', workload: 'web', path: '/mnt/instance-store', reason: 'model cache' }] };
    const restricted = byName(clusterConstraints(exempt), 'pod-security-restricted');
    expect(restricted.spec.parameters).toEqual({ exemptions: [{ namespace: 'team-ml', name: 'web', volumeTypes: ['hostPath'] }] });
    const gpu = (name: string, readOnly: boolean) => {
      const object = deployment('team-ml', `${ecr}gpu:1.0.0`, { volumes: [{ name: 'scratch', hostPath: { path: '/mnt/instance-store' } }] }) as any;
      object.metadata.name = name;
      object.spec.template.spec.containers[0].volumeMounts = [{ name: 'scratch', mountPath: '/models', readOnly }];
      return object as KubeObject;
    };
    expect(violations(exempt, [gpu('web', true)])).toEqual([]);
    expect(violations(exempt, [gpu('web', false)]).map((v) => `${v.object}: ${v.message}`)).toEqual(['Deployment team-ml/web: restricted: hostPath volumes must be mounted readOnly: web']);
    expect(violations(exempt, [gpu('miner', true)]).map((v) => `${v.object}: ${v.message}`)).toEqual(['Deployment team-ml/miner: restricted: volume types not allowed: scratch (hostPath)']);
    const escalating = deployment('team-a', `${ecr}web:1.2.3`) as any;
    escalating.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
    expect(violations(dev, [escalating]).map((v) => [v.constraintName, v.enforcementAction])).toEqual([['pod-security-restricted', 'deny']]);
    expect(violations({ ...dev, restrictedEnforcementAction: 'warn' }, [escalating]).map((v) => [v.constraintName, v.enforcementAction])).toEqual([['pod-security-restricted', 'warn']]);
  });
});

describe('gatekeeper-policies units', () => {
  const units = gatekeeperPolicies({ constraints: prod });

  it('puts the templates in infra-configs and the constraints in the policies layer', () => {
    expect(units.map((u) => [u.name, u.project, u.layer, u.dependsOn ?? []])).toEqual([
      ['gatekeeper-policies.templates', 'gatekeeper-policies', 'infra-configs', []],
      ['gatekeeper-policies.constraints', 'gatekeeper-policies', 'policies', ['gatekeeper-policies.templates']],
    ]);
  });

  it('renders every template of policies/ unchanged', () => {
    const objects = renderUnit(units[0]!, cluster, { policiesDir: POLICIES });
    expect(objects.map((o) => o.metadata.name)).toEqual(policyTemplates(POLICIES).map((t) => t.metadata.name));
    expect(objects).toEqual(policyTemplates(POLICIES));
    expect(objects.map((o) => (o.spec as any).crd.spec.names.kind)).toContain('FlotillaHostIsolation');
  });

  it('renders objects that validate with zero schema errors (templates against the Gatekeeper CRD)', () => {
    const rendered = units.flatMap((unit) => renderUnit(unit, cluster, { policiesDir: POLICIES }).map((object, index) => ({ file: `${unit.name}/${index}`, index, object })));
    const errors = SchemaValidator.load()
      .validate(rendered, { allowedUnknownKinds: ['constraints.gatekeeper.sh/*'] })
      .filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
  });
});
