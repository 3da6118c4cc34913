import { describe, expect, test } from 'vitest';
import { CONTROLLER_POD_NAMESPACES, MOUNTPOINT_POD_NAMESPACE } from '@flotilla/constructs';
import { RUNTIME_POD_NAMESPACES_ANNOTATION, type KubeObject, type RenderedObject } from '@flotilla/model';
import { evaluatePolicies } from '@flotilla/policy';
import { fleet } from '../index';
import { policyTemplates, renderFleet, tenantNamespacesOf } from '../testing';

/**
 * Issue 21, part 5: the platform controllers' own pods pass each cluster's Gatekeeper constraints
 * (the real evaluator of @flotilla/policy), so no add-on is denied at admission on prod.
 *
 * Every HelmRelease a cluster renders is covered, whoever added it, without a list here: its target
 * namespace and every namespace its controller creates pods in at run time (the HelmRelease's
 * `flotilla.dev/runtime-pod-namespaces`, written by HelmAddon `runtimePodNamespaces`) must admit a
 * typical upstream controller pod. Chart templates are not rendered offline, so that pod is the
 * upstream shape: the chart's own registry by tag, no resources, no labels, the default
 * ServiceAccount, Pod Security restricted (what a controller that writes pods in a namespace of its
 * own, such as Mountpoint's, must still meet). Pod templates that units render themselves are
 * evaluated as rendered, and Mountpoint's runtime pod as its driver builds it.
 */
const POD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
const isConstraint = (o: KubeObject) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1';

/** The pod a controller creates from its upstream chart, in `namespace` (restricted-compliant). */
function upstreamControllerPod(namespace: string, image: string, name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      containers: [
        {
          name: 'controller',
          image,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
        },
      ],
    },
  };
}

/**
 * A Mountpoint pod as the v2.1.0 driver creates it for a volume (awslabs/mountpoint-s3-csi-driver,
 * pkg/podmounter/mppod/creator.go `MountpointPod`, uid from the cluster variant, 1000 on EKS).
 */
function mountpointPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'mp-abcde', namespace: MOUNTPOINT_POD_NAMESPACE, labels: { 's3.csi.aws.com/mounted-by-csi-driver-version': '2.1.0', 's3.csi.aws.com/mountpoint-version': '1.19.0' } },
    spec: {
      restartPolicy: 'OnFailure',
      securityContext: { fsGroup: 1000 },
      containers: [
        {
          name: 'mountpoint',
          image: 'public.ecr.aws/mountpoint-s3-csi-driver/aws-mountpoint-s3-csi-driver:v2.1.0',
          imagePullPolicy: 'IfNotPresent',
          command: ['/bin/aws-s3-csi-mounter'],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsUser: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          volumeMounts: [{ name: 'comm', mountPath: '/comm' }],
        },
      ],
      priorityClassName: 'mount-s3-critical',
      tolerations: [{ operator: 'Exists' }],
      volumes: [{ name: 'comm', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }],
    },
  };
}

/** Where each HelmRelease's controller runs pods, and the probe pod for each (the chart's registry, by tag). */
function controllerPodProbes(objects: readonly RenderedObject[]): { release: string; namespace: string; pod: KubeObject }[] {
  return objects
    .filter((o) => o.object.kind === 'HelmRelease')
    .flatMap(({ object }) => {
      const spec = object.spec as { targetNamespace?: string; chart?: { spec?: { chart?: string; version?: string } }; chartRef?: { name?: string } };
      const chart = spec.chart?.spec?.chart ?? spec.chartRef?.name ?? object.metadata.name;
      const own = spec.targetNamespace ?? object.metadata.namespace!;
      const runtime = (object.metadata.annotations?.[RUNTIME_POD_NAMESPACES_ANNOTATION] ?? '').split(',').filter(Boolean);
      const release = `HelmRelease ${object.metadata.namespace}/${object.metadata.name}`;
      return [own, ...runtime].map((namespace) => ({ release, namespace, pod: upstreamControllerPod(namespace, `registry.example.org/upstream/${chart}:${spec.chart?.spec?.version ?? 'v1'}`, `${object.metadata.name}-probe`) }));
    });
}

/** Denials (`deny` constraints) of `pods` by the cluster's constraints, naming the controller that would create each pod. */
function deniedControllerPods(all: readonly RenderedObject[], pods: readonly { release: string; pod: KubeObject }[]): string[] {
  const constraints = all.filter((o) => isConstraint(o.object)).map((o) => o.object);
  const namespaces = all.filter((o) => o.object.kind === 'Namespace');
  const objects = pods.map(({ pod }, index) => ({ file: `probe/${index}`, index, object: pod }));
  const owner = new Map(pods.map(({ release, pod }) => [`Pod ${pod.metadata.namespace}/${pod.metadata.name}`, release]));
  return evaluatePolicies({ templates: policyTemplates(), constraints, objects: [...objects, ...namespaces] })
    .filter((v) => v.enforcementAction === 'deny')
    .map((v) => `${owner.get(v.object) ?? v.object} (${v.object}) denied by ${v.constraintKind} ${v.constraintName}: ${v.message}`);
}

describe.each(fleet.clusters.map((cluster) => [cluster.name] as const))('controller pods vs policies on cluster %s', (name) => {
  const { objects: all } = renderFleet(fleet, { clusters: [name] })[0]!;
  const tenantNamespaces = new Set(tenantNamespacesOf(all));
  const probes = controllerPodProbes(all);

  test('every HelmRelease is probed in its own namespace and in each namespace its controller writes pods to', () => {
    const releases = all.filter((o) => o.object.kind === 'HelmRelease');
    expect(releases.length).toBeGreaterThanOrEqual(10);
    expect(new Set(probes.map((p) => p.release)).size).toBe(releases.length);
    expect(probes.filter((p) => p.release.endsWith('/aws-mountpoint-s3-csi-driver')).map((p) => p.namespace)).toEqual(['kube-system', MOUNTPOINT_POD_NAMESPACE]);
  });

  test('no HelmRelease controller pod is denied at admission', () => {
    expect(deniedControllerPods(all, probes)).toEqual([]);
  });

  test('every pod template a platform unit renders itself passes', () => {
    const platform = all.filter((o) => POD_KINDS.has(o.object.kind) && !tenantNamespaces.has(o.object.metadata.namespace!));
    expect(deniedControllerPods(all, platform.map((o) => ({ release: `${o.object.kind} ${o.object.metadata.namespace}/${o.object.metadata.name}`, pod: o.object })))).toEqual([]);
  });

  test("Mountpoint's runtime pod, as its driver builds it, passes; a privileged pod in its namespace is still denied (the exemption is narrow)", () => {
    expect(deniedControllerPods(all, [{ release: 'Mountpoint', pod: mountpointPod() }])).toEqual([]);
    const privileged = mountpointPod();
    (privileged.spec as { containers: { securityContext: Record<string, unknown> }[] }).containers[0]!.securityContext = { privileged: true, allowPrivilegeEscalation: true };
    const denied = deniedControllerPods(all, [{ release: 'Mountpoint', pod: privileged }]);
    if (name === 'prod') expect(denied.some((line) => line.includes('FlotillaRestricted'))).toBe(true);
    expect(denied.some((line) => line.includes('FlotillaAllowedRepos') || line.includes('FlotillaContainerResources'))).toBe(false);
  });

  test('the probe has teeth: the same controller pod in a tenant namespace is denied', () => {
    const [tenant] = [...tenantNamespaces];
    const denied = deniedControllerPods(all, [{ release: 'probe', pod: upstreamControllerPod(tenant!, 'registry.example.org/upstream/thing:1.0.0', 'thing') }]);
    expect(denied.some((line) => line.includes('FlotillaAllowedRepos'))).toBe(true);
    expect(denied.some((line) => line.includes('FlotillaContainerResources'))).toBe(true);
  });

  test('a new add-on in a namespace no constraint exempts fails, naming its HelmRelease, the constraint and the namespace', () => {
    const release = all.find((o) => o.object.kind === 'HelmRelease')!;
    const added = { ...release, object: { ...release.object, metadata: { ...release.object.metadata, name: 'metrics', namespace: 'monitoring', annotations: { [RUNTIME_POD_NAMESPACES_ANNOTATION]: 'monitoring-jobs' } } } };
    const denied = deniedControllerPods(all, controllerPodProbes([added]));
    expect(denied).toContainEqual(expect.stringMatching(/^HelmRelease monitoring\/metrics \(Pod monitoring\/metrics-probe\) denied by FlotillaAllowedRepos allowed-repositories: /));
    expect(denied).toContainEqual(expect.stringMatching(/^HelmRelease monitoring\/metrics \(Pod monitoring-jobs\/metrics-probe\) denied by FlotillaContainerResources container-resources: /));
  });

  test('the controller-pod exemption is typed, annotated with its reason, and only on the image, resource, label and ServiceAccount constraints', () => {
    const constraints = all.filter((o) => isConstraint(o.object)).map((o) => o.object);
    const skipping = constraints.filter((c) => ((c.spec as { match: { excludedNamespaces?: string[] } }).match.excludedNamespaces ?? []).includes(MOUNTPOINT_POD_NAMESPACE));
    expect(skipping.map((c) => c.metadata.name).sort()).toEqual(['allowed-repositories', 'container-resources', 'default-service-account-token', 'image-tags', 'team-and-cost-center']);
    for (const c of skipping) expect(c.metadata.annotations?.['flotilla.dev/controller-pod-namespaces']).toContain(`${MOUNTPOINT_POD_NAMESPACE}: ${CONTROLLER_POD_NAMESPACES[0]!.controller}`);
  });
});
