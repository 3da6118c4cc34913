import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@flotilla/model';
import { checkScheduling } from './check-scheduling';
import {
  GPU_TOLERATION,
  csiVolume,
  daemonSet,
  deployment,
  gpuPool,
  helmRelease,
  onePool,
  pool,
  rendered,
} from './testing/cluster-builder';

type Objects = (KubeObject | Objects)[];
const check = (...objects: Objects) => checkScheduling(rendered(...(objects.flat(3) as KubeObject[])));
const errors = (...objects: Objects) => check(...objects).findings.filter((finding) => finding.severity === 'error');
const warnings = (...objects: Objects) => check(...objects).findings.filter((finding) => finding.severity === 'warning');

const GPU_REQUESTS = { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': 1 };
const gpuWorkload = (spec: Record<string, unknown> = {}, extra: Partial<Parameters<typeof deployment>[1]> = {}) =>
  deployment('gen', { requests: GPU_REQUESTS, spec: { tolerations: [GPU_TOLERATION], nodeSelector: { 'karpenter.sh/nodepool': 'gpu' }, ...spec }, ...extra });
/** The device plugin as the example fleet installs it: GPU taint tolerated, NVIDIA nodes selected by their Karpenter label. */
const devicePlugin = (values: Record<string, unknown> = {}) =>
  helmRelease('nvidia-device-plugin', 'nvidia-device-plugin', {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'] }] }],
        },
      },
    },
    ...values,
  });

describe('checkScheduling: the finding', () => {
  it('names file, cluster, workload, field, every pool tried with its first unmet constraint, and a fix', () => {
    const [finding] = errors(pool('general'), gpuPool(), deployment('gen', { requests: GPU_REQUESTS }));
    expect(finding).toMatchObject({
      severity: 'error',
      code: 'scheduling/unschedulable',
      file: 'clusters/test/Deployment_apps_gen.yaml',
      cluster: 'test',
      object: 'Deployment apps/gen',
      path: 'spec.template.spec',
    });
    expect(finding.message).toContain('pool general: nvidia.com/gpu is not advertised on its nodes');
    expect(finding.message).toContain('pool gpu: taint nvidia.com/gpu:NoSchedule is not tolerated');
    expect(finding.fix).toContain('nvidia-device-plugin');
  });

  it('checks every workload kind with a pod template and counts them', () => {
    const template = { metadata: {}, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '5000' } } }] } };
    const workloads: KubeObject[] = [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'apps' }, spec: { template } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'apps' }, spec: { template } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'apps' }, spec: { template } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'apps' }, spec: { schedule: '@daily', jobTemplate: { spec: { template } } } },
    ];
    const result = check(pool('general'), workloads);
    expect(result.podTemplates).toBe(4);
    expect(result.findings.map((finding) => finding.object)).toEqual(['StatefulSet apps/s', 'ReplicaSet apps/r', 'Job apps/j', 'CronJob apps/c']);
    expect(result.findings[3].path).toBe('spec.jobTemplate.spec.template.spec');
  });

  it('does not judge a cluster without NodePools (no capacity model)', () => {
    expect(check(deployment('web', { requests: { cpu: '1000' } })).findings).toEqual([]);
  });
});

describe('checkScheduling: resources', () => {
  it('fails requests no admitted type can hold and passes them once they fit', () => {
    const [finding] = errors(onePool('m7i.large'), deployment('web', { requests: { cpu: '2', memory: '1Gi' } }));
    expect(finding.message).toContain('the largest, m7i.large, allocates cpu 1930m');
    expect(finding.message).toContain('cpu 2 requested, 1930m free');
    expect(errors(onePool('m7i.large'), deployment('web', { requests: { cpu: '1900m', memory: '1Gi' } }))).toEqual([]);
  });

  it('counts the largest init container and the pod overhead, and limits as requests', () => {
    const init = [{ name: 'init', resources: { requests: { memory: '7000Mi' } } }];
    expect(errors(onePool('m7i.large'), deployment('web', { initContainers: init }))[0].message).toContain('memory 7000Mi requested, 6903Mi free');
    expect(errors(onePool('m7i.large'), deployment('web', { spec: { overhead: { cpu: '1900m' } } }))[0].message).toContain('cpu 2 requested, 1930m free');
    const limitsOnly = deployment('web', { spec: { containers: [{ name: 'main', resources: { limits: { cpu: '3' } } }] } });
    expect(errors(onePool('m7i.large'), limitsOnly)[0].message).toContain('cpu 3 requested');
    expect(errors(onePool('m7i.large'), deployment('web', { initContainers: [{ name: 'init', resources: { requests: { memory: '6000Mi' } } }] }))).toEqual([]);
  });

  it('honours kubelet settings of the EC2NodeClass (systemReserved)', () => {
    const web = deployment('web', { requests: { cpu: '1500m' } });
    expect(errors(onePool('m7i.large', { kubelet: { systemReserved: { cpu: '500m' } } }), web)).toHaveLength(1);
    expect(errors(onePool('m7i.large', { kubelet: { systemReserved: { cpu: '100m' } } }), web)).toEqual([]);
  });
});

describe('checkScheduling: DaemonSet overhead', () => {
  const web = deployment('web', { requests: { cpu: '1800m', memory: '1Gi' } });
  it('subtracts every DaemonSet that runs on the node, and only those', () => {
    expect(errors(onePool('m7i.large'), web)).toEqual([]);
    const agent = daemonSet('agent', {}, { cpu: '200m', memory: '100Mi' });
    const [finding] = errors(onePool('m7i.large'), web, agent);
    expect(finding.message).toContain('DaemonSets take cpu 200m');
    // The same DaemonSet kept off these nodes by its nodeSelector costs nothing here.
    const elsewhere = daemonSet('agent', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } }, { cpu: '200m', memory: '100Mi' });
    expect(errors(onePool('m7i.large'), web, elsewhere)).toEqual([]);
  });

  it('counts chart-rendered node plugins from HelmRelease values (Mountpoint: 3 containers × node.resources)', () => {
    const tight = deployment('web', { requests: { cpu: '1910m' } });
    expect(errors(onePool('m7i.large'), tight)).toEqual([]);
    const [finding] = errors(onePool('m7i.large'), tight, helmRelease('s3', 'aws-mountpoint-s3-csi-driver'));
    expect(finding.message).toContain('DaemonSets take cpu 30m, memory 120Mi, pods 1');
  });
});

describe('checkScheduling: extended resources and device plugins', () => {
  it('fails nvidia.com/gpu on AL2023 without a device plugin', () => {
    const [finding] = errors(gpuPool(), gpuWorkload());
    expect(finding.message).toContain('pool gpu: nvidia.com/gpu is not advertised on its nodes: AMI family al2023 does not ship a device plugin');
  });

  it('fails the device plugin chart with its default affinity (Node Feature Discovery labels Karpenter nodes lack)', () => {
    const [finding] = errors(gpuPool(), gpuWorkload(), helmRelease('nvidia-device-plugin', 'nvidia-device-plugin'));
    expect(finding.message).toContain('DaemonSet kube-system/nvidia-device-plugin of HelmRelease kube-system/nvidia-device-plugin exists, but its nodeSelector/affinity excludes');
  });

  it('fails a device plugin that does not tolerate the GPU taint', () => {
    const [finding] = errors(gpuPool(), gpuWorkload(), devicePlugin({ tolerations: [] }));
    expect(finding.message).toContain('but it does not tolerate taint nvidia.com/gpu:NoSchedule');
  });

  it('passes with the device plugin selecting NVIDIA nodes, with a rendered plugin DaemonSet, or on Bottlerocket', () => {
    expect(errors(gpuPool(), gpuWorkload(), devicePlugin())).toEqual([]);
    const rendered = daemonSet('nvidia', { tolerations: [GPU_TOLERATION] }, {});
    (rendered.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'nvcr.io/nvidia/k8s-device-plugin:v0.20.0';
    expect(errors(gpuPool(), gpuWorkload(), rendered)).toEqual([]);
    expect(errors(gpuPool({ ami: 'bottlerocket@latest' }), gpuWorkload())).toEqual([]);
  });

  it('fails an extended resource no admitted type has', () => {
    const [finding] = errors(pool('general', { requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['m'] }] }), deployment('web', { requests: { 'aws.amazon.com/neuron': 1 } }));
    expect(finding.message).toContain('no admitted instance type has aws.amazon.com/neuron');
  });
});

describe('checkScheduling: taints', () => {
  it('fails a pod that does not tolerate the only pool and passes once it does', () => {
    const [finding] = errors(gpuPool({ ami: 'bottlerocket@latest' }), deployment('gen', { requests: GPU_REQUESTS }));
    expect(finding.message).toContain('pool gpu: taint nvidia.com/gpu:NoSchedule is not tolerated');
    expect(finding.fix).toContain('add a toleration {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule} to spec.template.spec.tolerations');
    expect(errors(gpuPool({ ami: 'bottlerocket@latest' }), deployment('gen', { requests: GPU_REQUESTS, spec: { tolerations: [GPU_TOLERATION] } }))).toEqual([]);
  });

  it('needs the value to match for operator Equal, and ignores PreferNoSchedule', () => {
    const tainted = pool('dedicated', { taints: [{ key: 'team', value: 'a', effect: 'NoExecute' }, { key: 'soft', effect: 'PreferNoSchedule' }] });
    expect(errors(tainted, deployment('web', { spec: { tolerations: [{ key: 'team', operator: 'Equal', value: 'b' }] } }))).toHaveLength(1);
    expect(errors(tainted, deployment('web', { spec: { tolerations: [{ key: 'team', operator: 'Equal', value: 'a' }] } }))).toEqual([]);
  });
});

describe('checkScheduling: nodeSelector', () => {
  it('fails a label no pool sets and passes once the pool labels its nodes', () => {
    const web = deployment('web', { spec: { nodeSelector: { 'example.com/team': 'a' } } });
    const [finding] = errors(pool('general'), web);
    expect(finding.message).toContain('pool general: nodeSelector example.com/team=a matches none of its nodes');
    expect(errors(pool('general', { labels: { 'example.com/team': 'a' } }), web)).toEqual([]);
  });

  it('selects by pool name and by instance-type labels', () => {
    expect(errors(pool('general'), deployment('web', { spec: { nodeSelector: { 'karpenter.sh/nodepool': 'gpu' } } }))[0].message).toContain('its nodes carry karpenter.sh/nodepool=general');
    expect(errors(pool('general'), deployment('web', { spec: { nodeSelector: { 'karpenter.sh/nodepool': 'general', 'kubernetes.io/arch': 'arm64' } } }))).toEqual([]);
    const amd64 = pool('general', { requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] });
    expect(errors(amd64, deployment('web', { spec: { nodeSelector: { 'kubernetes.io/arch': 'arm64' } } }))).toHaveLength(1);
  });
});

describe('checkScheduling: required node affinity operators', () => {
  const general = pool('general', {
    requirements: [
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-north-1a', 'eu-north-1b'] },
    ],
  });
  const withAffinity = (...matchExpressions: { key: string; operator: string; values?: string[] }[]) =>
    deployment('web', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } } } });

  const cases: [string, { key: string; operator: string; values?: string[] }, { key: string; operator: string; values?: string[] }][] = [
    ['In', { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }, { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }],
    ['NotIn', { key: 'karpenter.k8s.aws/instance-category', operator: 'NotIn', values: ['c', 'm', 'r'] }, { key: 'karpenter.k8s.aws/instance-category', operator: 'NotIn', values: ['c'] }],
    ['Exists', { key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'Exists' }, { key: 'karpenter.k8s.aws/instance-family', operator: 'Exists' }],
    ['DoesNotExist', { key: 'karpenter.k8s.aws/instance-family', operator: 'DoesNotExist' }, { key: 'karpenter.k8s.aws/instance-gpu-name', operator: 'DoesNotExist' }],
    ['Gt', { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['500'] }, { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['8'] }],
    ['Lt', { key: 'karpenter.k8s.aws/instance-memory', operator: 'Lt', values: ['1024'] }, { key: 'karpenter.k8s.aws/instance-memory', operator: 'Lt', values: ['16385'] }],
    ['In (zone from the pool requirements)', { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-north-1c'] }, { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-north-1b'] }],
  ];
  for (const [operator, failing, passing] of cases) {
    it(`${operator}: fails an unsatisfiable expression and passes a satisfiable one`, () => {
      const [finding] = errors(general, withAffinity(failing));
      expect(finding.message).toContain('required node affinity is not satisfiable');
      expect(errors(general, withAffinity(passing))).toEqual([]);
    });
  }

  it('ORs terms and ANDs expressions across instance types (no type is both arm64 and c7i)', () => {
    const both = withAffinity({ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }, { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['c7i'] });
    expect(errors(pool('any'), both)).toHaveLength(1);
    const either = deployment('web', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }, { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['c7i'] }] },
                { matchExpressions: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['c7i'] }] },
              ],
            },
          },
        },
      },
    });
    expect(errors(pool('any'), either)).toEqual([]);
  });
});

describe('checkScheduling: topology spread', () => {
  const spread = (topologyKey: string, whenUnsatisfiable: string) =>
    deployment('web', { spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: { app: 'web' } } }] } });
  it('fails DoNotSchedule on a key the nodes do not carry, passes on zone or with ScheduleAnyway', () => {
    const [finding] = errors(pool('general'), spread('example.com/rack', 'DoNotSchedule'));
    expect(finding.message).toContain('topology spread (DoNotSchedule) on example.com/rack, a label its nodes do not carry');
    expect(errors(pool('general'), spread('topology.kubernetes.io/zone', 'DoNotSchedule'))).toEqual([]);
    expect(errors(pool('general'), spread('example.com/rack', 'ScheduleAnyway'))).toEqual([]);
    expect(errors(pool('general', { requirements: [{ key: 'example.com/rack', operator: 'In', values: ['r1', 'r2'] }] }), spread('example.com/rack', 'DoNotSchedule'))).toEqual([]);
  });
});

describe('checkScheduling: CSI node plugins', () => {
  const mounting = gpuWorkload({ volumes: [{ name: 'outputs', persistentVolumeClaim: { claimName: 'outputs' } }] });
  const base = [gpuPool({ ami: 'bottlerocket@latest' }), csiVolume('outputs', 's3.csi.aws.com')];

  it('fails when no node plugin for the driver is in the cluster', () => {
    expect(errors(base, mounting)[0].message).toContain('needs CSI driver s3.csi.aws.com, and no node plugin DaemonSet for it is in the cluster');
  });

  it('fails a Mountpoint node plugin that does not tolerate the pool taint (tolerateAllTaints: false)', () => {
    const [finding] = errors(base, mounting, helmRelease('s3', 'aws-mountpoint-s3-csi-driver', { node: { tolerateAllTaints: false } }));
    expect(finding.message).toContain('volume "outputs" (PVC outputs → PV apps-outputs) needs CSI driver s3.csi.aws.com, whose node plugin DaemonSet kube-system/s3-csi-node of HelmRelease kube-system/s3 does not run on its nodes: it does not tolerate taint nvidia.com/gpu:NoSchedule');
    expect(finding.fix).toContain("spec.values.node.tolerations (or node.tolerateAllTaints): {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}");
  });

  it('passes once the node plugin tolerates the taint, or tolerates all (the chart default)', () => {
    expect(errors(base, mounting, helmRelease('s3', 'aws-mountpoint-s3-csi-driver', { node: { tolerateAllTaints: false, tolerations: [GPU_TOLERATION] } }))).toEqual([]);
    expect(errors(base, mounting, helmRelease('s3', 'aws-mountpoint-s3-csi-driver'))).toEqual([]);
  });

  it('needs both the Secrets Store driver and the AWS provider for secrets-store.csi.k8s.io volumes', () => {
    const secrets = gpuWorkload({ volumes: [{ name: 'secrets', csi: { driver: 'secrets-store.csi.k8s.io' } }] });
    const driver = helmRelease('secrets-store-csi-driver', 'secrets-store-csi-driver');
    const [finding] = errors(base[0], secrets, driver, helmRelease('ascp', 'secrets-store-csi-driver-provider-aws', { 'secrets-store-csi-driver': { install: false } }));
    expect(finding.message).toContain('DaemonSet kube-system/secrets-store-csi-driver-provider-aws of HelmRelease kube-system/ascp does not run on its nodes');
    expect(errors(base[0], secrets, driver, helmRelease('ascp', 'secrets-store-csi-driver-provider-aws', { 'secrets-store-csi-driver': { install: false }, tolerations: [GPU_TOLERATION] }))).toEqual([]);
  });

  it('finds the driver through a StorageClass and recognises a rendered node plugin by its registration path', () => {
    const storageClass: KubeObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com' } as KubeObject;
    const claim: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'apps' }, spec: { storageClassName: 'gp3' } };
    const web = deployment('web', { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } });
    const nodePlugin = (tolerations: unknown[]) => {
      const ds = daemonSet('ebs-csi-node', { tolerations }, {});
      (ds.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers.push({
        name: 'node-driver-registrar',
        args: ['--kubelet-registration-path=/var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock'],
      });
      return ds;
    };
    const tainted = pool('general', { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] });
    const tolerant = { ...web, spec: { ...(web.spec as object), template: { ...(web.spec as { template: object }).template, spec: { ...(web.spec as { template: { spec: object } }).template.spec, tolerations: [{ key: 'dedicated', operator: 'Exists' }] } } } };
    expect(errors(tainted, storageClass, claim, tolerant, nodePlugin([]))[0].message).toContain('PVC data → StorageClass gp3) needs CSI driver ebs.csi.aws.com, whose node plugin DaemonSet kube-system/ebs-csi-node does not run');
    expect(errors(tainted, storageClass, claim, tolerant, nodePlugin([{ operator: 'Exists' }]))).toEqual([]);
  });
});

describe('checkScheduling: HPA metrics', () => {
  const hpa = (metrics: unknown[]): KubeObject => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'gen', namespace: 'apps' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gen' }, minReplicas: 1, maxReplicas: 2, metrics },
  });
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };
  const queue = { type: 'Pods', pods: { metric: { name: 'queue_depth' }, target: { type: 'AverageValue', averageValue: '2' } } };

  it('warns when a GPU workload scales on CPU, not when it scales on its queue', () => {
    const [warning] = warnings(gpuPool({ ami: 'bottlerocket@latest' }), gpuWorkload(), hpa([cpu]));
    expect(warning).toMatchObject({ code: 'scheduling/hpa-metric', object: 'HorizontalPodAutoscaler apps/gen', path: 'spec.metrics[0]' });
    expect(warning.message).toContain('which requests nvidia.com/gpu, on cpu utilisation');
    expect(warnings(gpuPool({ ami: 'bottlerocket@latest' }), gpuWorkload(), hpa([queue]))).toEqual([]);
  });

  it('does not warn for a CPU workload scaling on CPU', () => {
    expect(warnings(pool('general'), deployment('gen'), hpa([cpu]))).toEqual([]);
  });
});
