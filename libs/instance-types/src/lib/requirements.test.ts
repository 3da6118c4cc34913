import { describe, expect, it } from 'vitest';
import { type Catalog, loadCatalog } from './catalog';
import { admittedInstanceTypes, describeRequirements, type NodeSelectorRequirement } from './requirements';

const K = 'karpenter.k8s.aws/';

/** Six real entries of the catalog: GPU, Graviton, bare metal, xen, and two plain nitro types. */
const six: Catalog = {
  source: {},
  instanceTypes: loadCatalog().instanceTypes.filter((type) =>
    ['c5.2xlarge', 'g5.xlarge', 'm5.metal', 'm6g.large', 'm7i.large', 't2.micro'].includes(type.name),
  ),
};
const names = (requirements: NodeSelectorRequirement[], catalog: Catalog = six) => admittedInstanceTypes(requirements, { catalog }).names;

const generalPool: NodeSelectorRequirement[] = [
  { key: `${K}instance-category`, operator: 'In', values: ['c', 'm', 'r'] },
  { key: `${K}instance-hypervisor`, operator: 'In', values: ['nitro'] },
  { key: `${K}instance-size`, operator: 'NotIn', values: ['nano', 'micro', 'small', 'medium'] },
  { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
  { key: `${K}instance-generation`, operator: 'Gt', values: ['4'] },
];

describe('admittedInstanceTypes on realistic NodePools', () => {
  it('admits 598 types for a general-purpose pool (c/m/r, nitro, no tiny sizes, amd64, generation > 4)', () => {
    const result = admittedInstanceTypes(generalPool);
    expect(result.count).toBe(598);
    expect(result.names).toHaveLength(598);
    // every admitted type really satisfies each requirement
    const byName = new Map(loadCatalog().instanceTypes.map((type) => [type.name, type.labels]));
    for (const name of result.names) {
      const labels = byName.get(name)!;
      expect(['c', 'm', 'r']).toContain(labels[`${K}instance-category`]);
      expect(labels[`${K}instance-hypervisor`]).toBe('nitro');
      expect(['nano', 'micro', 'small', 'medium']).not.toContain(labels[`${K}instance-size`]);
      expect(labels['kubernetes.io/arch']).toBe('amd64');
      expect(Number(labels[`${K}instance-generation`])).toBeGreaterThan(4);
    }
    expect(result.names).toContain('m7i.large');
    expect(result.names).not.toContain('m5.metal'); // bare metal has hypervisor ""
    expect(result.names).not.toContain('m6g.large'); // arm64
  });

  it('admits 16 types for a GPU pool of families g5 and g6', () => {
    const result = admittedInstanceTypes([{ key: `${K}instance-family`, operator: 'In', values: ['g5', 'g6'] }]);
    expect(result.count).toBe(16);
    expect(result.names.filter((name) => name.startsWith('g5.'))).toHaveLength(8);
    expect(result.names).toContain('g6.48xlarge');
  });

  it('admits a single type for a one-family, one-size pool', () => {
    const result = admittedInstanceTypes([
      { key: `${K}instance-family`, operator: 'In', values: ['m7i'] },
      { key: `${K}instance-size`, operator: 'In', values: ['large'] },
    ]);
    expect(result).toMatchObject({ count: 1, names: ['m7i.large'] });
  });

  it('counts every type of the catalog when there are no requirements', () => {
    expect(admittedInstanceTypes([]).count).toBe(loadCatalog().instanceTypes.length);
  });
});

describe('operators', () => {
  it('In keeps types whose label is one of the values', () => {
    expect(names([{ key: `${K}instance-family`, operator: 'In', values: ['m7i', 'c5'] }])).toEqual(['c5.2xlarge', 'm7i.large']);
  });

  it('NotIn drops types whose label is one of the values', () => {
    expect(names([{ key: `${K}instance-hypervisor`, operator: 'NotIn', values: ['xen', ''] }])).toEqual(['c5.2xlarge', 'g5.xlarge', 'm6g.large', 'm7i.large']);
  });

  it('NotIn keeps types that do not have the label at all', () => {
    expect(names([{ key: `${K}instance-gpu-name`, operator: 'NotIn', values: ['a10g'] }])).toEqual(['c5.2xlarge', 'm5.metal', 'm6g.large', 'm7i.large', 't2.micro']);
    expect(names([{ key: `${K}instance-gpu-name`, operator: 'NotIn', values: ['t4'] }])).toHaveLength(6);
  });

  it('Exists keeps types that have the label', () => {
    expect(names([{ key: `${K}instance-gpu-name`, operator: 'Exists' }])).toEqual(['g5.xlarge']);
    expect(names([{ key: `${K}instance-network-bandwidth`, operator: 'Exists' }])).toEqual(['c5.2xlarge', 'g5.xlarge', 'm5.metal', 'm6g.large', 'm7i.large']);
  });

  it('DoesNotExist keeps types without the label', () => {
    expect(names([{ key: `${K}instance-gpu-count`, operator: 'DoesNotExist' }])).toEqual(['c5.2xlarge', 'm5.metal', 'm6g.large', 'm7i.large', 't2.micro']);
    expect(names([{ key: `${K}instance-family`, operator: 'DoesNotExist' }])).toEqual([]);
  });

  it('Gt and Lt compare integer label values and exclude the bound', () => {
    // vCPUs: t2.micro 1, m6g.large 2, m7i.large 2, g5.xlarge 4, c5.2xlarge 8, m5.metal 96
    expect(names([{ key: `${K}instance-cpu`, operator: 'Gt', values: ['4'] }])).toEqual(['c5.2xlarge', 'm5.metal']);
    expect(names([{ key: `${K}instance-cpu`, operator: 'Lt', values: ['4'] }])).toEqual(['m6g.large', 'm7i.large', 't2.micro']);
  });

  it('Gte and Lte include the bound', () => {
    expect(names([{ key: `${K}instance-cpu`, operator: 'Gte', values: ['4'] }])).toEqual(['c5.2xlarge', 'g5.xlarge', 'm5.metal']);
    expect(names([{ key: `${K}instance-cpu`, operator: 'Lte', values: ['2'] }])).toEqual(['m6g.large', 'm7i.large', 't2.micro']);
  });

  it('Gt excludes types without the label and types with non-integer values', () => {
    expect(names([{ key: `${K}instance-gpu-count`, operator: 'Gt', values: ['0'] }])).toEqual(['g5.xlarge']);
    expect(names([{ key: `${K}instance-size`, operator: 'Gt', values: ['0'] }])).toEqual([]);
  });

  it('ANDs requirements on different keys', () => {
    expect(names([
      { key: `${K}instance-category`, operator: 'In', values: ['m'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
    ])).toEqual(['m6g.large']);
  });

  it('intersects requirements on the same key, as Karpenter does', () => {
    expect(names([
      { key: `${K}instance-cpu`, operator: 'Gt', values: ['1'] },
      { key: `${K}instance-cpu`, operator: 'Lt', values: ['8'] },
    ])).toEqual(['g5.xlarge', 'm6g.large', 'm7i.large']);
    expect(names([
      { key: `${K}instance-cpu`, operator: 'Gt', values: ['8'] },
      { key: `${K}instance-cpu`, operator: 'Lt', values: ['4'] },
    ])).toEqual([]);
    // Exists ∩ NotIn is a NotIn, which Karpenter lets through for types without the label
    expect(names([
      { key: `${K}instance-gpu-name`, operator: 'Exists' },
      { key: `${K}instance-gpu-name`, operator: 'NotIn', values: ['t4'] },
    ])).toHaveLength(6);
  });
});

describe('labels the catalog does not decide', () => {
  it('does not restrict types by custom labels and reports them', () => {
    const result = admittedInstanceTypes([{ key: 'example.com/team', operator: 'In', values: ['payments'] }], { catalog: six });
    expect(result.count).toBe(6);
    expect(result.unconstrainedKeys).toEqual(['example.com/team']);
  });

  it('does not restrict types by zone or region', () => {
    const result = admittedInstanceTypes([{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] }], { catalog: six });
    expect(result).toMatchObject({ count: 6, unconstrainedKeys: ['topology.kubernetes.io/zone'] });
  });

  it('treats a well-known label no catalog type carries as absent, not as custom', () => {
    // windows-build is defined by Karpenter for every type (DoesNotExist on Linux)
    expect(names([{ key: 'node.kubernetes.io/windows-build', operator: 'In', values: ['10.0.20348'] }])).toEqual([]);
    expect(admittedInstanceTypes([{ key: 'node.kubernetes.io/windows-build', operator: 'DoesNotExist' }], { catalog: six }).unconstrainedKeys).toEqual([]);
  });

  it('keeps a type for capacity-type when one of its offerings matches', () => {
    // GIVEN the reference data, which lists no usage classes, so every type offers on-demand and spot
    const spot = admittedInstanceTypes([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }], { catalog: six });
    expect(spot).toMatchObject({ count: 6, capacityTypes: ['spot'] });
    // AND a refreshed entry that is on-demand only
    const onDemandOnly: Catalog = { source: {}, instanceTypes: six.instanceTypes.map((type) => (type.name === 'm7i.large' ? { ...type, capacityTypes: ['on-demand'] } : type)) };
    expect(names([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }], onDemandOnly)).not.toContain('m7i.large');
    expect(names([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['reserved'] }])).toEqual([]);
  });
});

describe('minValues', () => {
  it('is reported with the distinct values the admitted types span, not used to filter', () => {
    const result = admittedInstanceTypes(
      [
        { key: `${K}instance-family`, operator: 'In', values: ['m7i', 'c5', 'm6g'], minValues: 2 },
        { key: `${K}instance-category`, operator: 'Exists', minValues: 3 },
      ],
      { catalog: six },
    );
    expect(result.count).toBe(3);
    expect(result.minValues).toEqual([
      { key: `${K}instance-family`, minValues: 2, distinctValues: 3, satisfied: true },
      { key: `${K}instance-category`, minValues: 3, distinctValues: 2, satisfied: false },
    ]);
  });
});

describe('validation', () => {
  it('fails if In has no values', () => {
    expect(() => admittedInstanceTypes([{ key: `${K}instance-family`, operator: 'In', values: [] }])).toThrow(
      'requirements[0] (karpenter.k8s.aws/instance-family In []): operator In has no values; list at least one value, or use Exists',
    );
  });

  it('fails if Gt does not have exactly one integer', () => {
    expect(() => admittedInstanceTypes([{ key: `${K}instance-cpu`, operator: 'Gt', values: ['four'] }])).toThrow(
      'requirements[0] (karpenter.k8s.aws/instance-cpu Gt four): operator Gt needs exactly one non-negative integer value, got [four]; set values to one integer such as ["4"]',
    );
  });

  it('fails if the operator is unknown', () => {
    const bad = { key: 'kubernetes.io/arch', operator: 'Equals', values: ['amd64'] } as unknown as NodeSelectorRequirement;
    expect(() => admittedInstanceTypes([generalPool[0], bad])).toThrow(
      'requirements[1] (kubernetes.io/arch Equals [amd64]): operator "Equals" is not supported; use one of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte',
    );
  });

  it('fails if minValues is larger than the In list', () => {
    expect(() => admittedInstanceTypes([{ key: `${K}instance-family`, operator: 'In', values: ['m7i'], minValues: 2 }])).toThrow(
      'minValues 2 is more than the 1 values listed; list at least minValues values or lower minValues',
    );
  });
});

describe('describeRequirements', () => {
  it('writes requirements on one line for error messages', () => {
    expect(describeRequirements([...generalPool.slice(2, 3), generalPool[4], { key: `${K}instance-gpu-name`, operator: 'Exists', minValues: 2 }])).toBe(
      'karpenter.k8s.aws/instance-size NotIn [nano, micro, small, medium]; karpenter.k8s.aws/instance-generation Gt 4; karpenter.k8s.aws/instance-gpu-name Exists (minValues 2)',
    );
    expect(describeRequirements([])).toBe('(no requirements)');
  });
});
