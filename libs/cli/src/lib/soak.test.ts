import { describe, expect, it } from 'vitest';
import { formatSoak, parseSoak } from './soak';

describe('soak durations', () => {
  it('reads days, hours and minutes and prints them back', () => {
    expect(parseSoak('1h30m')).toBe(90 * 60_000);
    expect(parseSoak('2d')).toBe(2 * 86_400_000);
    expect(formatSoak(parseSoak('1d2h5m'))).toBe('1d 2h 5m');
    expect(formatSoak(30_000)).toBe('0m');
  });

  it('rejects anything else with the accepted forms', () => {
    expect(() => parseSoak('24 hours')).toThrow("--min-soak 24 hours is not a duration; use days, hours and minutes, e.g. 24h, 2d or 1h30m");
    expect(() => parseSoak('')).toThrow(/is not a duration/);
  });
});
