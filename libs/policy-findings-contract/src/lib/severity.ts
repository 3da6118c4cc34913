/** ASFF severity labels, least to most severe. */
export const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

/**
 * Annotation (or label) on a Gatekeeper constraint that sets the severity of its findings, e.g.
 * `flotilla.dev/severity: CRITICAL`. Without it the enforcement action decides.
 */
export const SEVERITY_ANNOTATION = 'flotilla.dev/severity';

/** Default severity per enforcement action: what the admission webhook does with the object. */
export const SEVERITY_BY_ACTION: Readonly<Record<string, SeverityLabel>> = { deny: 'HIGH', warn: 'MEDIUM', dryrun: 'LOW' };

/** The ASFF normalized score Security Hub shows for each label (the middle of the label's range). */
export const SEVERITY_NORMALIZED: Readonly<Record<SeverityLabel, number>> = { INFORMATIONAL: 0, LOW: 20, MEDIUM: 50, HIGH: 80, CRITICAL: 95 };

export function isSeverityLabel(value: unknown): value is SeverityLabel {
  return typeof value === 'string' && (SEVERITY_LABELS as readonly string[]).includes(value);
}

/**
 * The severity of a violation: the constraint's override when it is a valid label, otherwise the default of the
 * enforcement action (an action Flotilla does not know, such as `scoped` without its resolved action, counts as
 * `warn`: reported, not blocking).
 */
export function severityFor(enforcementAction: string, override?: SeverityLabel): SeverityLabel {
  return override ?? SEVERITY_BY_ACTION[enforcementAction] ?? 'MEDIUM';
}

/**
 * Reads the severity override from a constraint's annotations and labels (annotation wins). Returns a problem
 * message instead of throwing, so one mistyped constraint degrades to its default and the caller logs it.
 */
export function severityOverride(metadata: { annotations?: Record<string, string>; labels?: Record<string, string> } | undefined): {
  severity?: SeverityLabel;
  problem?: string;
} {
  const raw = metadata?.annotations?.[SEVERITY_ANNOTATION] ?? metadata?.labels?.[SEVERITY_ANNOTATION];
  if (raw === undefined) return {};
  const upper = raw.trim().toUpperCase();
  if (isSeverityLabel(upper)) return { severity: upper };
  return { problem: `${SEVERITY_ANNOTATION} '${raw}' is not one of ${SEVERITY_LABELS.join(', ')}; using the enforcement action's default` };
}

/** SARIF result level per enforcement action (GitHub code scanning): deny blocks, warn warns, dryrun notes. */
export function sarifLevel(enforcementAction: string): 'error' | 'warning' | 'note' {
  return enforcementAction === 'deny' ? 'error' : enforcementAction === 'dryrun' ? 'note' : 'warning';
}

/** GitHub's `security-severity` (0.0–10.0) for a severity label: the ASFF normalized score divided by ten. */
export function securitySeverity(label: SeverityLabel): string {
  return (SEVERITY_NORMALIZED[label] / 10).toFixed(1);
}
