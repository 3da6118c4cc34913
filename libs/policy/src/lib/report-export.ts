import { createHash } from 'node:crypto';
import {
  parseObjectRef,
  sarifLevel,
  securitySeverity,
  severityFor,
  SEVERITY_LABELS,
  violationFinding,
  type AsffFinding,
  type FindingContext,
  type FindingTimes,
  type PolicyViolationRecord,
  type SeverityLabel,
} from '@flotilla/policy-findings-contract';
import { reportAction, type PolicyReportViolation } from './report-document';

/** A report violation with what the exporters add: its cluster, the object's line, the constraint's severity. */
export interface LocatedViolation {
  readonly cluster: string;
  readonly violation: PolicyReportViolation;
  /** @default - no line known (the result points at line 1 of the file, or at the cluster folder) */
  readonly line?: number;
  /** The constraint's `flotilla.dev/severity`. @default - by enforcement action */
  readonly severity?: SeverityLabel;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_TOOL = 'flotilla-policy';

/**
 * The shared contract record of a report violation: what the Lambda builds from Gatekeeper's audit status,
 * built here from the pre-merge report, so both map to ASFF through the same function.
 */
export function violationRecord(entry: LocatedViolation): PolicyViolationRecord {
  const v = entry.violation;
  return {
    cluster: entry.cluster,
    constraintKind: v.constraint.kind,
    constraintName: v.constraint.name,
    enforcementAction: reportAction(v),
    object: parseObjectRef(v.object),
    message: v.evaluationError ? `evaluation error: ${v.message}` : v.message,
    ...(entry.severity ? { severity: entry.severity } : {}),
    ...(v.file ? { location: { file: v.file, line: entry.line ?? 1 } } : {}),
  };
}

/** Pre-merge violations as ASFF findings (`source: pre-merge`), the same mapping the Lambda uses for audit results. */
export function reportToAsff(entries: readonly LocatedViolation[], contextOf: (cluster: string) => FindingContext, times: FindingTimes): AsffFinding[] {
  return sortEntries(entries).map((entry) => violationFinding(violationRecord(entry), contextOf(entry.cluster), times));
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per constraint (`<Kind>/<name>`), one result per violation at
 * the file and line of the rendered object, level from the enforcement action (deny → error, warn → warning,
 * dryrun → note), `security-severity` from the same severity as the ASFF finding, and a fingerprint per
 * (cluster, constraint, object) so an alert survives unrelated line moves.
 */
export function reportToSarif(entries: readonly LocatedViolation[], options: { readonly toolVersion?: string } = {}): Record<string, unknown> {
  const sorted = sortEntries(entries);
  const rules = new Map<string, { id: string; policy: string; severity: SeverityLabel; level: string }>();
  for (const entry of sorted) {
    const record = violationRecord(entry);
    const id = ruleId(entry.violation);
    const severity = severityFor(record.enforcementAction, record.severity);
    const rule = rules.get(id);
    if (!rule) rules.set(id, { id, policy: entry.violation.policy, severity, level: sarifLevel(record.enforcementAction) });
    else if (SEVERITY_LABELS.indexOf(severity) > SEVERITY_LABELS.indexOf(rule.severity)) rules.set(id, { ...rule, severity, level: sarifLevel(record.enforcementAction) });
  }
  const ruleIds = [...rules.keys()].sort();
  const results = sorted.map((entry) => {
    const record = violationRecord(entry);
    const id = ruleId(entry.violation);
    const file = entry.violation.file ?? `clusters/${entry.cluster}/kustomization.yaml`;
    return {
      ruleId: id,
      ruleIndex: ruleIds.indexOf(id),
      level: sarifLevel(record.enforcementAction),
      message: { text: `${entry.cluster}: ${entry.violation.object}: ${record.message}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' }, region: { startLine: entry.line ?? 1 } } }],
      partialFingerprints: { 'flotillaPolicyViolation/v1': sha256(`${entry.cluster}\0${id}\0${entry.violation.object}`) },
      properties: { cluster: entry.cluster, object: entry.violation.object, enforcement: record.enforcementAction, policy: entry.violation.policy },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: SARIF_TOOL,
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            informationUri: 'https://open-policy-agent.github.io/gatekeeper/website/docs/',
            rules: ruleIds.map((id) => {
              const rule = rules.get(id)!;
              return {
                id,
                name: id.replace(/[^A-Za-z0-9]/g, ''),
                shortDescription: { text: `Gatekeeper constraint ${id} (template ${rule.policy})` },
                fullDescription: { text: `The rendered object violates the Gatekeeper constraint ${id}; change the object, or exclude it in the constraint's spec.match.` },
                defaultConfiguration: { level: rule.level },
                properties: { tags: ['kubernetes', 'gatekeeper', 'policy'], precision: 'very-high', 'security-severity': securitySeverity(rule.severity) },
              };
            }),
          },
        },
        automationDetails: { id: `${SARIF_TOOL}/` },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function ruleId(violation: PolicyReportViolation): string {
  return `${violation.constraint.kind}/${violation.constraint.name}`;
}

function sortEntries(entries: readonly LocatedViolation[]): LocatedViolation[] {
  const key = (e: LocatedViolation) => [e.cluster, ruleId(e.violation), e.violation.object, e.violation.message];
  return [...entries].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
