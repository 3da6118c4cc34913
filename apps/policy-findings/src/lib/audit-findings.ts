import {
  generatorId,
  severityOverride,
  truncationFinding,
  violationFinding,
  type AsffFinding,
  type FindingContext,
  type FindingTimes,
} from '@flotilla/policy-findings-contract';
import type { ConstraintStatus } from './constraints';

export interface DesiredFindings {
  /** What the cluster's audit says now, by finding id (times are this run's; the sync keeps older CreatedAt). */
  readonly findings: Map<string, AsffFinding>;
  /** GeneratorIds of constraints the audit has not reached yet: their existing findings are left alone. */
  readonly unaudited: Set<string>;
  /** Constraints whose severity annotation is not a label (they fall back to the default). */
  readonly problems: string[];
}

/**
 * Gatekeeper's audit status as ASFF findings (the shared mapping): one per listed violation, plus one
 * INFORMATIONAL finding per constraint whose `totalViolations` exceeds what it lists.
 */
export function desiredFindings(cluster: string, constraints: readonly ConstraintStatus[], context: FindingContext, now: string): DesiredFindings {
  const findings = new Map<string, AsffFinding>();
  const unaudited = new Set<string>();
  const problems: string[] = [];
  for (const constraint of constraints) {
    const override = severityOverride({ annotations: constraint.annotations, labels: constraint.labels });
    if (override.problem) problems.push(`${constraint.kind}/${constraint.name}: ${override.problem}`);
    if (!constraint.auditTimestamp) {
      unaudited.add(generatorId(context, cluster, constraint.kind, constraint.name));
      continue;
    }
    const times: FindingTimes = { createdAt: now, updatedAt: now, firstObservedAt: constraint.auditTimestamp, lastObservedAt: constraint.auditTimestamp };
    for (const violation of constraint.violations) {
      const finding = violationFinding(
        {
          cluster,
          constraintKind: constraint.kind,
          constraintName: constraint.name,
          enforcementAction: violation.enforcementAction,
          object: { kind: violation.kind, name: violation.name, ...(violation.namespace ? { namespace: violation.namespace } : {}), ...(violation.group ? { apiGroup: violation.group } : {}) },
          message: violation.message,
          ...(override.severity ? { severity: override.severity } : {}),
        },
        context,
        times,
      );
      findings.set(finding.Id, finding);
    }
    if (constraint.totalViolations > constraint.violations.length) {
      const finding = truncationFinding(
        { cluster, constraintKind: constraint.kind, constraintName: constraint.name, enforcementAction: constraint.enforcementAction, totalViolations: constraint.totalViolations, listedViolations: constraint.violations.length },
        context,
        times,
      );
      findings.set(finding.Id, finding);
    }
  }
  return { findings, unaudited, problems };
}
