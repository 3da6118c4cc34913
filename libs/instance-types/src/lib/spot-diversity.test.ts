import { describe, expect, it } from 'vitest';
import type { NodeSelectorRequirement } from './requirements';
import { allowsSpot, checkSpotDiversity } from './spot-diversity';

const K = 'karpenter.k8s.aws/';
const spot: NodeSelectorRequirement = { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] };

describe('checkSpotDiversity', () => {
  it('passes a general-purpose spot pool', () => {
    const result = checkSpotDiversity(
      [
        spot,
        { key: `${K}instance-category`, operator: 'In', values: ['c', 'm', 'r'] },
        { key: `${K}instance-hypervisor`, operator: 'In', values: ['nitro'] },
        { key: `${K}instance-size`, operator: 'NotIn', values: ['nano', 'micro', 'small', 'medium'] },
        { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        { key: `${K}instance-generation`, operator: 'Gt', values: ['4'] },
      ],
      { pool: 'general' },
    );
    expect(result).toEqual({ ok: true, count: 598, minimum: 15 });
  });

  it('passes a g5/g6 GPU spot pool at 16 types, just over the minimum', () => {
    const result = checkSpotDiversity([spot, { key: `${K}instance-family`, operator: 'In', values: ['g5', 'g6'] }], { pool: 'gpu' });
    expect(result).toEqual({ ok: true, count: 16, minimum: 15 });
  });

  it('fails a one-family, one-size spot pool with a message that says how to widen it', () => {
    const result = checkSpotDiversity(
      [spot, { key: `${K}instance-family`, operator: 'In', values: ['m7i'] }, { key: `${K}instance-size`, operator: 'In', values: ['large'] }],
      { pool: 'batch-spot' },
    );
    expect(result.ok).toBe(false);
    expect(result.count).toBe(1);
    expect(result.message).toBe(
      'spot NodePool "batch-spot" admits 1 instance type (m7i.large) but Karpenter needs at least 15 for spot-to-spot consolidation; ' +
        'requirements: karpenter.sh/capacity-type In [spot]; karpenter.k8s.aws/instance-family In [m7i]; karpenter.k8s.aws/instance-size In [large]; ' +
        'to widen them: add more instance families (for example the c, m and r variants of the same generation) or select by instance-category instead; ' +
        'allow more instance sizes, or replace the instance-size In list with a NotIn list of sizes to avoid',
    );
  });

  it('fails a pool that admits nothing and suggests the levers it uses', () => {
    const result = checkSpotDiversity([
      spot,
      { key: `${K}instance-category`, operator: 'In', values: ['m'] },
      { key: `${K}instance-generation`, operator: 'Gt', values: ['9'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
    ]);
    expect(result).toMatchObject({ ok: false, count: 0, minimum: 15 });
    expect(result.message).toMatch(/^the spot NodePool admits no instance types but Karpenter needs at least 15 /);
    expect(result.message).toContain('add instance categories (for example c, m and r); allow older or newer generations (lower the instance-generation Gt bound); allow both amd64 and arm64');
  });

  it('uses a custom minimum', () => {
    const gpu: NodeSelectorRequirement[] = [spot, { key: `${K}instance-family`, operator: 'In', values: ['g5', 'g6'] }];
    expect(checkSpotDiversity(gpu, { pool: 'gpu', minimum: 20 })).toMatchObject({ ok: false, count: 16, minimum: 20 });
  });

  it('fails if minimum is not a positive integer', () => {
    expect(() => checkSpotDiversity([spot], { minimum: 0 })).toThrow('minimum 0 is not a positive integer; use a whole number such as 15');
  });
});

describe('allowsSpot', () => {
  it('is true when capacity-type admits spot or is not restricted', () => {
    expect(allowsSpot([spot])).toBe(true);
    expect(allowsSpot([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }])).toBe(true);
    expect(allowsSpot([{ key: 'karpenter.sh/capacity-type', operator: 'Exists' }])).toBe(true);
    expect(allowsSpot([{ key: `${K}instance-category`, operator: 'In', values: ['m'] }])).toBe(true);
  });

  it('is false when capacity-type excludes spot', () => {
    expect(allowsSpot([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }])).toBe(false);
    expect(allowsSpot([{ key: 'karpenter.sh/capacity-type', operator: 'NotIn', values: ['spot'] }])).toBe(false);
    expect(allowsSpot([spot, { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }])).toBe(false);
  });
});
