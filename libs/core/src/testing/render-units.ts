import type { ClusterConfig, Unit } from '@flotilla/config';
import type { KubeObject } from '@flotilla/model';
import { renderUnit } from '../lib/render-unit';

/** Each unit rendered for `cluster` by the engine's own renderUnit, by unit name. */
export function renderUnits(units: readonly Unit[], cluster: ClusterConfig): Map<string, KubeObject[]> {
  return new Map(units.map((unit) => [unit.name, renderUnit(unit, cluster)]));
}

/**
 * The first object of `kind` (and `name`, when given). Throws, listing what was rendered, when there is none, so a
 * test fails on the missing object rather than on a property of `undefined`.
 */
export function findObject(objects: readonly KubeObject[] | undefined, kind: string, name?: string): KubeObject {
  const wanted = name === undefined ? kind : `${kind}/${name}`;
  if (!objects) throw new Error(`no objects to look for ${wanted} in (is the unit name right?)`);
  const found = objects.find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (!found) throw new Error(`no ${wanted} among ${objects.map((object) => `${object.kind}/${object.metadata.name}`).join(', ') || 'no objects'}`);
  return found;
}
