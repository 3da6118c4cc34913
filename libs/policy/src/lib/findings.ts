import type { Finding } from '@flotilla/model';
import { effectiveAction } from './enforcement';
import type { PolicyViolation } from './evaluate';

/** The action that decides severity: the violation's own, or for `scoped` the most severe applying one. */
export function actionOf(violation: PolicyViolation): string {
  if (violation.enforcementAction !== 'scoped') return violation.enforcementAction;
  return effectiveAction({ action: 'scoped', scopedActions: violation.scopedEnforcementActions ?? [] });
}

/**
 * Policy violations as findings: `deny` → error (fails CI, as `gator test` exits 1 only for deny),
 * `warn` and `dryrun` → warning. Code `policy/<template>`; evaluation errors get `policy/evaluation-error`.
 */
export function violationsToFindings(violations: PolicyViolation[]): Finding[] {
  return violations.map((violation) => {
    const action = actionOf(violation);
    const finding: Finding = {
      severity: action === 'deny' ? 'error' : 'warning',
      code: violation.evaluationError ? 'policy/evaluation-error' : `policy/${violation.template}`,
      object: violation.object,
      message: `${violation.constraintKind} ${violation.constraintName} (${action}): ${violation.evaluationError ? 'evaluation error: ' : ''}${violation.message}`,
      fix: violation.evaluationError
        ? `fix the object or the template ${violation.template} so that its CEL evaluates, or set failurePolicy: Ignore`
        : `change the object to satisfy ${violation.constraintKind} ${violation.constraintName}, or exclude it in the constraint's spec.match`,
      ...(violation.file !== undefined ? { file: violation.file } : {}),
      ...(violation.cluster !== undefined ? { cluster: violation.cluster } : {}),
    };
    return finding;
  });
}
