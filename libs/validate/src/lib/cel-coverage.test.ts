import { describe, expect, it } from 'vitest';
import { celReport } from '../../scripts/cel-report';

describe('every bundled CRD CEL rule', () => {
  it('compiles, and evaluates on a sample of its schema node without errors other than reading absent optional fields', () => {
    const { outcomes } = celReport();
    expect(outcomes.length).toBeGreaterThan(500);
    expect(outcomes.filter((o) => o.result === 'compile-error')).toEqual([]);
    const unexpected = outcomes.filter((o) => o.result === 'runtime-error' && !/^No such key/.test(o.reason ?? ''));
    expect(unexpected).toEqual([]);
  });
});
