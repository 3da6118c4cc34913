import { describe, expect, it } from 'vitest';
import { Duration } from './duration';
import { DEFAULT_FLUX_SETTINGS, resolveFluxSettings } from './flux-settings';

describe('Duration', () => {
  it.each([
    [Duration.seconds(0), '0s'],
    [Duration.seconds(45), '45s'],
    [Duration.minutes(2), '2m'],
    [Duration.minutes(90), '1h30m'],
    [Duration.hours(1), '1h'],
    [Duration.seconds(3725), '1h2m5s'],
  ])('renders %s as the Go duration %s', (duration, text) => {
    expect(duration.toGoString()).toBe(text);
  });

  it('fails if the duration is negative or not whole seconds', () => {
    expect(() => Duration.seconds(-1)).toThrow(/whole, non-negative number of seconds, got -1 seconds/);
    expect(() => Duration.seconds(1.5)).toThrow(/whole, non-negative/);
  });
});

describe('resolveFluxSettings', () => {
  it('uses the fleet defaults when nothing overrides them', () => {
    expect(resolveFluxSettings()).toBe(DEFAULT_FLUX_SETTINGS);
    expect(DEFAULT_FLUX_SETTINGS.interval.toGoString()).toBe('10m');
  });

  it('lets a unit override the cluster, which overrides the fleet', () => {
    const resolved = resolveFluxSettings({ interval: Duration.minutes(30), wait: false }, { interval: Duration.hours(1) });
    expect(resolved.interval.toGoString()).toBe('1h');
    expect(resolved.wait).toBe(false);
    expect(resolved.timeout.toGoString()).toBe('5m');
  });
});
