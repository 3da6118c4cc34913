import type { Fleet } from '@flotilla/config';
import { compareWithTree, driftCount, planRender, type PlanOptions } from '@flotilla/core';

/**
 * Whether the cluster-level files (flux-system, sync/, the root kustomization.yaml, CODEOWNERS)
 * differ from a fresh render of the fleet. They list every unit's Kustomization, made from the unit's
 * own metadata (layer, dependencies, health checks), yet the fleet-level synth target is not affected
 * by a unit's change: so a unit's synth compares them (no unit is rendered for that) and takes them
 * over when they differ. Read without the lock: a tree mid-write counts as different, and the synth
 * that follows compares again under the lock.
 */
export function scaffoldDiffers(repoRoot: string, fleet: Fleet, options: PlanOptions): boolean {
  try {
    return driftCount(compareWithTree(repoRoot, planRender(fleet, { scaffoldOnly: true }, options))) > 0;
  } catch {
    return true;
  }
}
