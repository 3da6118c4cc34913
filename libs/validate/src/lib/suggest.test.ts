import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest';

describe('closest', () => {
  it('finds plausible typos and case slips', () => {
    expect(closest('protocl', ['protocol', 'port', 'name'])).toBe('protocol');
    expect(closest('imagepullpolicy', ['imagePullPolicy', 'image'])).toBe('imagePullPolicy');
  });

  it('gives nothing when no candidate is close', () => {
    expect(closest('colour', ['size', 'min', 'max'])).toBeUndefined();
  });

  it('measures edit distance case-insensitively', () => {
    expect(editDistance('Kind', 'kind')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
