/** One violation of the JSON policy report (`dist/reports/<cluster>/policy-report.json`, see renderPolicyReport). */
export interface PolicyReportViolation {
  readonly policy: string;
  readonly constraint: { readonly kind: string; readonly name: string };
  readonly enforcement: string;
  readonly scopedEnforcementActions?: readonly string[];
  /** `Kind namespace/name` or `Kind name`. */
  readonly object: string;
  /** Repository-relative file of the rendered object. */
  readonly file?: string;
  readonly message: string;
  readonly evaluationError?: boolean;
}

export interface PolicyReportDocument {
  readonly cluster: string;
  readonly summary: { readonly total: number; readonly deny: number; readonly warn: number; readonly dryrun: number };
  readonly violations: readonly PolicyReportViolation[];
  /** Constraints that were checked but not evaluated (external data, e.g. Ratify), with the reason. */
  readonly notEvaluated?: readonly { readonly constraint: { readonly kind: string; readonly name: string }; readonly reason: string }[];
}

/** Parses a policy-report.json; a file of another shape fails naming the file and the regeneration command. */
export function parsePolicyReport(text: string, file: string): PolicyReportDocument {
  let value: Partial<PolicyReportDocument>;
  try {
    value = JSON.parse(text) as Partial<PolicyReportDocument>;
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message}); regenerate it with 'npx flotilla validate clusters'`);
  }
  const bad = (field: string) => new Error(`${file}: ${field} is missing or has the wrong type; regenerate it with 'npx flotilla validate clusters'`);
  if (typeof value?.cluster !== 'string') throw bad('cluster');
  if (!Array.isArray(value.violations)) throw bad('violations');
  for (const [i, v] of value.violations.entries()) {
    if (typeof v?.constraint?.kind !== 'string' || typeof v.constraint.name !== 'string') throw bad(`violations[${i}].constraint`);
    if (typeof v.object !== 'string' || typeof v.message !== 'string' || typeof v.enforcement !== 'string') throw bad(`violations[${i}].object/message/enforcement`);
  }
  return value as PolicyReportDocument;
}

/** The action that applies: the violation's own, or for `scoped` the most severe of its actions. */
export function reportAction(violation: PolicyReportViolation): string {
  if (violation.enforcement !== 'scoped') return violation.enforcement;
  for (const action of ['deny', 'warn', 'dryrun']) if (violation.scopedEnforcementActions?.includes(action)) return action;
  return violation.scopedEnforcementActions?.[0] ?? 'dryrun';
}
