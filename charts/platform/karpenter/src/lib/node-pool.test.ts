import { Size, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Duration } from '@flotilla/config';
import { DisruptionReason, NodeCount } from './disruption';
import { Ec2NodeClass } from './ec2-node-class';
import { CapacityType, NodePool, type NodePoolProps, TaintEffect } from './node-pool';

function render(props: Partial<NodePoolProps> = {}) {
  const chart = Testing.chart();
  const nodeClass = new Ec2NodeClass(chart, 'class', { name: 'default', discoveryTag: { key: 'karpenter.sh/discovery', value: 'dev' }, role: 'dev-karpenter-node' });
  const pool = new NodePool(chart, 'pool', {
    name: 'general',
    nodeClass,
    instanceCategories: ['c', 'm', 'r'],
    hypervisors: ['nitro'],
    excludedInstanceSizes: ['nano', 'micro', 'small', 'medium'],
    ...props,
  });
  const manifest = Testing.synth(chart).find((o) => o.kind === 'NodePool');
  return { pool, manifest };
}

describe('NodePool', () => {
  it('renders spot and on-demand c/m/r nitro requirements without tiny sizes', () => {
    // GIVEN / WHEN
    const { manifest, pool } = render();
    // THEN
    expect(manifest.apiVersion).toBe('karpenter.sh/v1');
    expect(manifest.metadata).toEqual({ name: 'general' });
    expect(manifest.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
    expect(manifest.spec.template.spec.requirements).toEqual([
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
      { key: 'karpenter.k8s.aws/instance-hypervisor', operator: 'In', values: ['nitro'] },
      { key: 'karpenter.k8s.aws/instance-size', operator: 'NotIn', values: ['nano', 'micro', 'small', 'medium'] },
    ]);
    expect(pool.allowsSpot).toBe(true);
    expect(pool.instanceTypeCount).toBe(598);
  });

  it('defaults disruption to WhenEmptyOrUnderutilized after 1m with a 10% budget and 30-day expiry', () => {
    const { manifest } = render();
    expect(manifest.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m', budgets: [{ nodes: '10%' }] });
    expect(manifest.spec.template.spec.expireAfter).toBe('720h');
  });

  it('renders typed limits, taints, labels, budgets with schedules and weight', () => {
    const { manifest } = render({
      limits: { cpu: 1000, memory: Size.gibibytes(4000), nvidiaGpus: 8 },
      taints: [{ key: 'dedicated', value: 'batch', effect: TaintEffect.NO_SCHEDULE }],
      labels: { workload: 'batch' },
      budgets: [{ nodes: NodeCount.percent(20) }, { nodes: NodeCount.count(0), reasons: [DisruptionReason.DRIFTED], schedule: '0 8 * * mon-fri', duration: Duration.hours(10) }],
      weight: 10,
      expireAfter: 'Never',
    });
    expect(manifest.spec.limits).toEqual({ cpu: '1000', memory: '4000Gi', 'nvidia.com/gpu': '8' });
    expect(manifest.spec.template.spec.taints).toEqual([{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
    expect(manifest.spec.template.metadata).toEqual({ labels: { workload: 'batch' } });
    expect(manifest.spec.disruption.budgets).toEqual([
      { nodes: '20%' },
      { nodes: '0', reasons: ['Drifted'], schedule: '0 8 * * mon-fri', duration: '10h' },
    ]);
    expect(manifest.spec.weight).toBe(10);
    expect(manifest.spec.template.spec.expireAfter).toBe('Never');
  });

  it('fails if a pool allowing spot admits fewer than 15 instance types', () => {
    // GIVEN a spot pool narrowed to one family and one size
    const narrow: Partial<NodePoolProps> = { instanceCategories: undefined, hypervisors: undefined, excludedInstanceSizes: undefined, instanceFamilies: ['m7i'], requirements: [{ key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['large', 'xlarge'] }] };
    // WHEN / THEN
    expect(() => render(narrow)).toThrow(
      /spot NodePool "general" admits 2 instance types \(m7i.large, m7i.xlarge\) but Karpenter needs at least 15 for spot-to-spot consolidation; .*or set capacityTypes to \[CapacityType.ON_DEMAND\]/,
    );
  });

  it('fails if a pool without a capacity-type restriction of on-demand is narrow (spot is allowed by default)', () => {
    expect(() => render({ instanceCategories: undefined, instanceFamilies: ['p5'] })).toThrow(/spot NodePool "general" admits/);
  });

  it('accepts a narrow pool when it is on-demand only', () => {
    const { pool, manifest } = render({ capacityTypes: [CapacityType.ON_DEMAND], instanceCategories: undefined, instanceFamilies: ['m7i'], requirements: [{ key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['large'] }] });
    expect(pool.allowsSpot).toBe(false);
    expect(pool.instanceTypeCount).toBe(1);
    expect(manifest.spec.template.spec.requirements[0]).toEqual({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] });
  });

  it('honours a custom spot minimum', () => {
    const { pool } = render({ instanceCategories: undefined, instanceFamilies: ['g5', 'g6'], minimumSpotInstanceTypes: 16 });
    expect(pool.instanceTypeCount).toBe(16);
    expect(() => render({ instanceCategories: undefined, instanceFamilies: ['g5', 'g6'], minimumSpotInstanceTypes: 17 })).toThrow(/admits 16 instance types .* at least 17/);
  });

  it('fails if the requirements admit no instance type', () => {
    expect(() => render({ capacityTypes: [CapacityType.ON_DEMAND], instanceCategories: ['zz'] })).toThrow(/NodePool "general" admits no instance type/);
  });

  it('fails if a requirement is invalid for the CRD', () => {
    expect(() => render({ requirements: [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['x'] }] })).toThrow(/needs exactly one non-negative integer value/);
    expect(() => render({ requirements: [{ key: 'karpenter.sh/nodepool', operator: 'Exists' }] })).toThrow(/requirement on karpenter.sh\/nodepool is not allowed/);
  });

  it('fails if capacityTypes is empty', () => {
    expect(() => render({ capacityTypes: [] })).toThrow(/NodePool "general": capacityTypes is empty/);
  });

  it('fails if a budget has a schedule but no duration, or a duration with seconds', () => {
    expect(() => render({ budgets: [{ nodes: NodeCount.count(0), schedule: '0 8 * * *' }] })).toThrow(/disruption.budgets\[0\] sets schedule without duration/);
    expect(() => render({ budgets: [{ nodes: NodeCount.count(0), schedule: '0 8 * * *', duration: Duration.seconds(90) }] })).toThrow(/whole minutes/);
    expect(() => render({ budgets: [{ nodes: NodeCount.count(0), schedule: 'weekdays', duration: Duration.hours(1) }] })).toThrow(/not a five-field cron/);
    expect(() => NodeCount.percent(120)).toThrow(/NodeCount.percent\(120\) is out of range/);
  });

  it('fails if limits are not positive whole numbers', () => {
    expect(() => render({ limits: { cpu: 0.5 } })).toThrow(/limits.cpu 0.5 is not a positive whole number/);
  });
});
