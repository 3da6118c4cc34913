import { Size } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { SchemaValidator } from '@flotilla/validate';
import { AmiFamily } from './ec2-node-class';
import { CapacityType } from './node-pool';
import { NvidiaDevicePluginSource } from './node-pools-unit';
import { karpenter, type KarpenterProps } from './karpenter';

const cluster = fixtureCluster('dev', []);
const props: KarpenterProps = {
  controller: { interruption: { queueName: 'dev-karpenter' } },
  nodePools: {
    nodeTags: { CostCenter: 'platform' },
    general: { limits: { cpu: 1000, memory: Size.gibibytes(4000) } },
    gpu: { limits: { nvidiaGpus: 16 } },
  },
};
const units = karpenter(props);
const render = (name: string, p: KarpenterProps = props) => renderUnit(karpenter(p).find((u) => u.name === name)!, cluster);

describe('karpenter units', () => {
  it('splits into identity and controller (infra-controllers) and node pools (infra-configs)', () => {
    expect(units.map((u) => [u.name, u.layer, u.dependsOn ?? []])).toEqual([
      ['karpenter.identity', 'infra-controllers', ['ack.iam', 'ack.eks']],
      ['karpenter', 'infra-controllers', ['karpenter.identity']],
      ['karpenter.interruption', 'infra-configs', []],
      ['karpenter.nodepools', 'infra-configs', []],
    ]);
    expect(new Set(units.map((u) => u.project))).toEqual(new Set(['karpenter']));
  });

  it('installs chart 1.14.1 from the Karpenter OCI registry with the cluster name and interruption queue', () => {
    const objects = render('karpenter');
    const source = findObject(objects, 'OCIRepository', 'karpenter');
    expect(source.spec).toMatchObject({ url: 'oci://public.ecr.aws/karpenter/karpenter', ref: { tag: '1.14.1' } });
    const release = findObject(objects, 'HelmRelease', 'karpenter');
    expect(release.metadata?.namespace).toBe('karpenter');
    expect(release.metadata?.annotations).toEqual({ 'flotilla.dev/installs-crds': 'karpenter.k8s.aws,karpenter.sh' });
    expect((release.spec as any).values).toMatchObject({
      settings: { clusterName: 'dev', interruptionQueue: 'dev-karpenter' },
      serviceAccount: { create: true, name: 'karpenter' },
      replicas: 2,
    });
    expect(objects.some((o) => o.kind === 'Namespace')).toBe(false);
  });

  it('turns the spot-to-spot consolidation feature gate on when a pool allows spot, off otherwise, and honours an explicit setting', () => {
    const gate = (p: KarpenterProps) => ((findObject(render('karpenter', p), 'HelmRelease', 'karpenter').spec as any).values.settings.featureGates);
    expect(gate(props)).toEqual({ spotToSpotConsolidation: true });
    const onDemandOnly: KarpenterProps = { ...props, nodePools: { ...props.nodePools, general: { ...props.nodePools.general, capacityTypes: [CapacityType.ON_DEMAND] } } };
    expect(gate(onDemandOnly)).toEqual({ spotToSpotConsolidation: false });
    expect(gate({ ...props, controller: { ...props.controller, spotToSpotConsolidation: false } })).toEqual({ spotToSpotConsolidation: false });
  });

  it('gives the controller a Pod Identity role scoped to the cluster, the node role and the queue', () => {
    const objects = render('karpenter.identity');
    expect(findObject(objects, 'Namespace', 'karpenter')).toBeDefined();
    const role = findObject(objects, 'Role', 'karpenter');
    expect(role.spec).toMatchObject({ name: 'dev-karpenter' });
    const policy = JSON.parse((role.spec as any).inlinePolicies.karpenter);
    const passRole = policy.Statement.find((s: any) => s.Sid === 'AllowPassingInstanceRole');
    expect(passRole.Resource).toBe('arn:aws:iam::123456789012:role/dev-karpenter-node');
    const queue = policy.Statement.find((s: any) => s.Sid === 'AllowInterruptionQueueActions');
    expect(queue.Resource).toBe('arn:aws:sqs:eu-north-1:123456789012:dev-karpenter');
    const trust = JSON.parse((role.spec as any).assumeRolePolicyDocument);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    const association = findObject(objects, 'PodIdentityAssociation', 'karpenter');
    expect(association.spec).toMatchObject({ clusterName: 'dev', namespace: 'karpenter', serviceAccount: 'karpenter' });
  });

  it('renders no queue, no interruptionQueue setting and no queue permissions when interruption handling is off', () => {
    const off: KarpenterProps = { ...props, controller: { interruption: false } };
    expect(karpenter(off).map((u) => u.name)).not.toContain('karpenter.interruption');
    const values = (findObject(render('karpenter', off), 'HelmRelease', 'karpenter').spec as any).values;
    expect(values.settings.interruptionQueue).toBeUndefined();
    const policy = JSON.parse((findObject(render('karpenter.identity', off), 'Role', 'karpenter').spec as any).inlinePolicies.karpenter);
    expect(policy.Statement.map((s: any) => s.Sid)).not.toContain('AllowInterruptionQueueActions');
  });

  it('creates the node role with the EKS worker policies and an EC2_LINUX access entry, retained on delete', () => {
    const objects = render('karpenter.identity');
    const nodeRole = findObject(objects, 'Role', 'karpenter-node');
    expect(nodeRole.metadata?.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect((nodeRole.spec as any).name).toBe('dev-karpenter-node');
    expect((nodeRole.spec as any).policies).toEqual([
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    expect(JSON.parse((nodeRole.spec as any).assumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(findObject(objects, 'AccessEntry', 'karpenter-node').spec).toEqual({ clusterName: 'dev', principalARN: 'arn:aws:iam::123456789012:role/dev-karpenter-node', type: 'EC2_LINUX' });
  });

  it('skips the node role when the account baseline owns it and points the node classes at the given role', () => {
    const external: KarpenterProps = { ...props, controller: { createNodeRole: false, nodeRoleName: 'baseline-nodes' } };
    const identity = render('karpenter.identity', external);
    expect(identity.some((o) => o.metadata?.name === 'karpenter-node')).toBe(false);
    const policy = JSON.parse((findObject(identity, 'Role', 'karpenter').spec as any).inlinePolicies.karpenter);
    expect(policy.Statement.find((s: any) => s.Sid === 'AllowPassingInstanceRole').Resource).toBe('arn:aws:iam::123456789012:role/baseline-nodes');
    const pools = render('karpenter.nodepools', external);
    expect((findObject(pools, 'EC2NodeClass', 'default').spec as any).role).toBe('baseline-nodes');
  });

  it('renders a general spot/on-demand pool and a tainted on-demand GPU pool on a RAID0 node class', () => {
    const objects = render('karpenter.nodepools');
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['EC2NodeClass/default', 'NodePool/general', 'EC2NodeClass/gpu', 'NodePool/gpu']);
    const general = findObject(objects, 'NodePool', 'general').spec as any;
    expect(general.template.spec.requirements[0]).toEqual({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] });
    expect(general.disruption).toEqual({
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '1m',
      budgets: [{ nodes: '10%' }, { nodes: '0', reasons: ['Drifted'], schedule: '0 8 * * mon-fri', duration: '10h' }],
    });
    expect(general.limits).toEqual({ cpu: '1000', memory: '4000Gi' });
    const gpu = findObject(objects, 'NodePool', 'gpu').spec as any;
    expect(gpu.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' });
    expect(gpu.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]);
    expect(gpu.template.spec.requirements).toContainEqual({ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g5', 'g6'] });
    expect(gpu.template.spec.requirements[0]).toEqual({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] });
    expect(gpu.limits).toEqual({ 'nvidia.com/gpu': '16' });
    const gpuClass = findObject(objects, 'EC2NodeClass', 'gpu').spec as any;
    expect(gpuClass.instanceStorePolicy).toBe('RAID0');
    expect(gpuClass.tags).toEqual({ CostCenter: 'platform' });
    expect(gpuClass.blockDeviceMappings[0].ebs.volumeSize).toBe('100Gi');
  });

  it('keeps the GPU pool on the cluster AMI by default (device plugin as a HelmRelease) and on Bottlerocket when chosen', () => {
    expect((findObject(render('karpenter.nodepools'), 'EC2NodeClass', 'gpu').spec as any).amiSelectorTerms).toEqual([{ alias: 'al2023@latest' }]);
    const bottlerocket: KarpenterProps = {
      nodePools: { ...props.nodePools, amiVersion: 'v20250505', gpu: { limits: { nvidiaGpus: 4 }, nvidiaDevicePlugin: NvidiaDevicePluginSource.BOTTLEROCKET, amiVersion: 'v1.37.0' } },
    };
    const objects = render('karpenter.nodepools', bottlerocket);
    expect((findObject(objects, 'EC2NodeClass', 'gpu').spec as any).amiSelectorTerms).toEqual([{ alias: 'bottlerocket@v1.37.0' }]);
    expect((findObject(objects, 'EC2NodeClass', 'default').spec as any).amiSelectorTerms).toEqual([{ alias: 'al2023@v20250505' }]);
  });

  it('fails a device-plugin HelmRelease choice on a Bottlerocket cluster', () => {
    const conflicting: KarpenterProps = { nodePools: { ...props.nodePools, amiFamily: AmiFamily.BOTTLEROCKET, gpu: { limits: { nvidiaGpus: 4 } } } };
    expect(() => render('karpenter.nodepools', conflicting)).toThrow(/gpu.nvidiaDevicePlugin is HELM_RELEASE but amiFamily is BOTTLEROCKET/);
  });

  it('lets the GPU pool allow spot: the default g5/g6 families admit the 15 types spot diversity needs', () => {
    const spot: KarpenterProps = { nodePools: { ...props.nodePools, gpu: { limits: { nvidiaGpus: 4 }, capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND] } } };
    const gpu = findObject(render('karpenter.nodepools', spot), 'NodePool', 'gpu').spec as any;
    expect(gpu.template.spec.requirements[0]).toEqual({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] });
    expect(gpu.template.spec.requirements).toContainEqual({ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g5', 'g6'] });
  });

  it('fails the unit if a GPU pool narrowed to one family allows spot', () => {
    const narrow: KarpenterProps = { nodePools: { ...props.nodePools, gpu: { limits: { nvidiaGpus: 4 }, capacityTypes: [CapacityType.SPOT], instanceFamilies: ['g6'] } } };
    expect(() => render('karpenter.nodepools', narrow)).toThrow(/spot NodePool "gpu" admits 8 instance types .* at least 15/);
  });

  it('renders objects that validate against the pinned CRDs with zero errors', () => {
    const rendered = units.flatMap((unit) => renderUnit(unit, cluster).map((object, index) => ({ file: `${unit.name}/${index}`, index, object })));
    const errors = SchemaValidator.load().validate(rendered).filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
  });
});
