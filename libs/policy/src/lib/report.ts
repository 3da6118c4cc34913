import { actionOf } from './findings';
import type { NotEvaluatedConstraint } from './check-constraints';
import type { PolicyViolation } from './evaluate';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function sorted(violations: PolicyViolation[]): PolicyViolation[] {
  const rank = (v: PolicyViolation) => ({ deny: 0, warn: 1, dryrun: 2 })[actionOf(v)] ?? 3;
  return [...violations].sort(
    (a, b) => rank(a) - rank(b) || a.constraintKind.localeCompare(b.constraintKind) || a.constraintName.localeCompare(b.constraintName) || a.object.localeCompare(b.object) || a.message.localeCompare(b.message),
  );
}

function enforcementLabel(v: PolicyViolation): string {
  return v.enforcementAction === 'scoped' ? `scoped (${(v.scopedEnforcementActions ?? []).join(', ')})` : v.enforcementAction;
}

/**
 * The per-cluster policy report: a Markdown table and a JSON document listing each violation
 * (policy, object, message, enforcement), most severe first, in a stable order, and the constraints
 * that were not evaluated offline (external data) with the reason.
 */
export function renderPolicyReport(cluster: string, violations: PolicyViolation[], notEvaluated: readonly NotEvaluatedConstraint[] = []): { markdown: string; json: string } {
  const rows = sorted(violations);
  const counts = { deny: 0, warn: 0, dryrun: 0 } as Record<string, number>;
  for (const v of rows) counts[actionOf(v)] = (counts[actionOf(v)] ?? 0) + 1;
  const lines = [
    `# Policy report: ${cluster}`,
    '',
    rows.length === 0
      ? 'No policy violations.'
      : `${rows.length} violation${rows.length === 1 ? '' : 's'}: ${counts.deny ?? 0} deny, ${counts.warn ?? 0} warn, ${counts.dryrun ?? 0} dryrun.`,
  ];
  if (rows.length > 0) {
    lines.push('', '| Enforcement | Policy | Constraint | Object | File | Message |', '| --- | --- | --- | --- | --- | --- |');
    for (const v of rows) {
      const message = v.evaluationError ? `evaluation error: ${v.message}` : v.message;
      lines.push(`| ${cell(enforcementLabel(v))} | ${cell(v.template)} | ${cell(`${v.constraintKind}/${v.constraintName}`)} | ${cell(v.object)} | ${cell(v.file ?? '')} | ${cell(message)} |`);
    }
  }
  if (notEvaluated.length > 0) {
    lines.push('', 'Not evaluated offline (checked at admission only):', '');
    for (const c of notEvaluated) lines.push(`- ${c.kind}/${c.name}: ${c.reason}`);
  }
  const json = {
    cluster,
    summary: { total: rows.length, deny: counts.deny ?? 0, warn: counts.warn ?? 0, dryrun: counts.dryrun ?? 0 },
    violations: rows.map((v) => ({
      policy: v.template,
      constraint: { kind: v.constraintKind, name: v.constraintName },
      enforcement: v.enforcementAction,
      ...(v.scopedEnforcementActions ? { scopedEnforcementActions: v.scopedEnforcementActions } : {}),
      object: v.object,
      ...(v.file !== undefined ? { file: v.file } : {}),
      message: v.message,
      ...(v.evaluationError ? { evaluationError: true } : {}),
    })),
    ...(notEvaluated.length > 0 ? { notEvaluated: notEvaluated.map((c) => ({ constraint: { kind: c.kind, name: c.name }, reason: c.reason })) } : {}),
  };
  return { markdown: lines.join('\n') + '\n', json: JSON.stringify(json, null, 2) + '\n' };
}
