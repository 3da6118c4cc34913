import { describe, expect, it } from 'vitest';
import { Duration, goDuration } from './duration';
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
    expect(goDuration(duration)).toBe(text);
  });

  it('fails if the duration is negative or not whole seconds', () => {
    expect(() => Duration.seconds(-1)).toThrow(/cannot be negative. Received: -1/);
    expect(() => goDuration(Duration.seconds(1.5))).toThrow('duration 1 second 500 millis is not a whole number of seconds');
  });

  it('is the one Duration class: cdk8s constructs and Flux settings take the same value', async () => {
    const cdk8s = await import('cdk8s');
    expect(Duration).toBe(cdk8s.Duration);
    expect(goDuration(cdk8s.Duration.minutes(5))).toBe('5m');
  });
});

describe('resolveFluxSettings', () => {
  it('uses the fleet defaults when nothing overrides them', () => {
    expect(resolveFluxSettings()).toBe(DEFAULT_FLUX_SETTINGS);
    expect(goDuration(DEFAULT_FLUX_SETTINGS.interval)).toBe('10m');
  });

  it('lets a unit override the cluster, which overrides the fleet', () => {
    const resolved = resolveFluxSettings({ interval: Duration.minutes(30), wait: false }, { interval: Duration.hours(1) });
    expect(goDuration(resolved.interval)).toBe('1h');
    expect(resolved.wait).toBe(false);
    expect(goDuration(resolved.timeout)).toBe('5m');
  });
});
