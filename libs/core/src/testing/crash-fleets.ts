import type { Fleet } from '@flotilla/config';
import { configMapUnit, fixtureCluster, fixtureFleet } from './fixture-fleet';

/**
 * Two renders of one small fleet that differ everywhere: every file changes, a unit appears (new
 * folders) and one disappears (stale files, emptied folders). A kill anywhere between them must
 * leave one or the other.
 */
export function crashFleet(variant: 'old' | 'new', bytesPerMap = 64): Fleet {
  const clusters = ['dev', 'staging', 'prod'].map((cluster) => {
    const units = Array.from({ length: 4 }, (_, u) => {
      const maps = Object.fromEntries(
        Array.from({ length: 3 }, (_, m) => [`map-${m}`, { variant, cluster, filler: `${variant}-${u}-${m}-`.padEnd(bytesPerMap, variant === 'old' ? 'o' : 'n') }]),
      );
      return configMapUnit(`unit-${u}`, 'apps', maps);
    });
    units.push(variant === 'old' ? configMapUnit('retiring', 'apps', { gone: { soon: 'yes' } }) : configMapUnit('arriving', 'apps', { fresh: { hello: 'world' } }));
    return fixtureCluster(cluster, units);
  });
  return fixtureFleet(...clusters);
}
