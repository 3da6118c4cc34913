import type { KubeObject } from '@flotilla/model';

/** Enforcement points Gatekeeper knows; Flotilla's CI is `gator.gatekeeper.sh` (shift-left). */
export const ENFORCEMENT_POINTS = ['validation.gatekeeper.sh', 'audit.gatekeeper.sh', 'gator.gatekeeper.sh', 'vap.k8s.io', '*'] as const;
export const DEFAULT_ENFORCEMENT_POINT = 'gator.gatekeeper.sh';
export const ENFORCEMENT_ACTIONS = ['deny', 'dryrun', 'warn', 'scoped'] as const;
export type EnforcementAction = (typeof ENFORCEMENT_ACTIONS)[number];

export interface ScopedEnforcementAction {
  action: string;
  enforcementPoints?: { name: string }[];
}

export interface ResolvedEnforcement {
  /** `spec.enforcementAction` (default `deny`). */
  readonly action: EnforcementAction;
  /** For `scoped`: the actions that apply at the enforcement point (empty = constraint not enforced there). */
  readonly scopedActions: readonly string[];
}

/**
 * `spec.enforcementAction` of a constraint, and for `scoped` the `scopedEnforcementActions` whose
 * enforcement points include `point` (or `*`).
 * @throws Error for an action Gatekeeper does not know
 */
export function resolveEnforcement(constraint: KubeObject, point: string): ResolvedEnforcement {
  const spec = (constraint.spec ?? {}) as { enforcementAction?: string; scopedEnforcementActions?: ScopedEnforcementAction[] };
  const action = (spec.enforcementAction || 'deny') as EnforcementAction;
  if (!ENFORCEMENT_ACTIONS.includes(action)) {
    throw new Error(`${constraint.kind} ${constraint.metadata.name}: spec.enforcementAction must be one of ${ENFORCEMENT_ACTIONS.join(', ')}, got ${JSON.stringify(action)}`);
  }
  if (action !== 'scoped') return { action, scopedActions: [] };
  const scopedActions: string[] = [];
  for (const scoped of spec.scopedEnforcementActions ?? []) {
    const points = (scoped.enforcementPoints ?? []).map((p) => p.name);
    if ((points.includes(point) || points.includes('*')) && !scopedActions.includes(scoped.action)) scopedActions.push(scoped.action);
  }
  return { action, scopedActions };
}

/** The most severe of the actions: deny > warn > dryrun. */
export function effectiveAction(enforcement: ResolvedEnforcement): string {
  if (enforcement.action !== 'scoped') return enforcement.action;
  for (const action of ['deny', 'warn', 'dryrun']) if (enforcement.scopedActions.includes(action)) return action;
  return enforcement.scopedActions[0] ?? 'dryrun';
}
