import { describe, expect, it } from 'vitest';
import { configMapUnit, fixtureCluster, fixtureFleet } from '@flotilla/core/testing';
import { scopeForAffected } from './affected-projects';

// Twenty unit projects, each one unit in two clusters: a tenth is two projects.
const units = Array.from({ length: 20 }, (_, i) => configMapUnit(`app-${i}`, 'apps', { [`cm-${i}`]: { a: '1' } }));
const fleet = fixtureFleet(fixtureCluster('dev', units), fixtureCluster('prod', units));
const range = { base: '0123456789abcdef0123456789abcdef01234567', head: 'HEAD' };

describe('what one synth renders for a change', () => {
  it('renders the affected unit projects alone while they are at most a tenth of the units', () => {
    const chosen = scopeForAffected(fleet, ['app-3', 'app-7'], range);
    expect(chosen.scope).toEqual({ projects: ['app-3', 'app-7'] });
    expect(chosen.summary).toBe('2 of 20 unit projects affected since 0123456789ab (at HEAD): app-3, app-7');
  });

  it('falls back to one full render beyond a tenth of the units', () => {
    const chosen = scopeForAffected(fleet, ['app-1', 'app-2', 'app-3'], range);
    expect(chosen.scope).toEqual({});
    expect(chosen.summary).toBe('3 of 20 unit projects affected since 0123456789ab (at HEAD) (more than 2): one full render');
  });

  it('falls back to one full render when a project that renders no unit is affected (the fleet-level target)', () => {
    const chosen = scopeForAffected(fleet, ['app-1', 'fleet-scaffold'], { base: 'main' });
    expect(chosen.scope).toEqual({});
    expect(chosen.summary).toBe('2 project(s) affected since main, fleet-scaffold beyond the units: one full render');
  });

  it('renders nothing when nothing with a synth target changed', () => {
    expect(scopeForAffected(fleet, [], { base: 'main' })).toEqual({ scope: { projects: [] }, summary: 'no project with a synth target changed since main' });
  });
});
