import { describe, expect, it } from 'vitest';
import { isQuantity, suggestQuantity } from './formats';

describe('quantities', () => {
  it('accepts what resource.Quantity parses', () => {
    for (const ok of ['1', '500m', '1.5Gi', '2e3', '+1', '.5', '128974848', '129M', '123Mi', '1Ki', '0']) expect(isQuantity(ok), ok).toBe(true);
  });

  it('fails what it does not', () => {
    for (const bad of ['512MB', '1 Gi', 'Gi', '1.5.1', '1gb', '100%', '']) expect(isQuantity(bad), bad).toBe(false);
  });

  it('suggests the binary unit for byte-style units and removes spaces', () => {
    expect(suggestQuantity('512MB')).toBe('512Mi');
    expect(suggestQuantity('2GB')).toBe('2Gi');
    expect(suggestQuantity('1 Gi')).toBe('1Gi');
    expect(suggestQuantity('4gi')).toBe('4Gi');
    expect(suggestQuantity('2 cores')).toBe('2');
    expect(suggestQuantity('lots')).toBeUndefined();
  });
});
