import { formatFinding, type Finding } from '@flotilla/model';
import { UsageError } from '../command';
import { toJUnit } from './junit';
import { toSarif } from './sarif';

export const FORMATS = ['text', 'json', 'junit', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string | undefined): Format {
  const format = value ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'`);
  return format as Format;
}

export interface ValidateReport {
  readonly findings: readonly Finding[];
  /** Files validated (names as in findings). */
  readonly files: readonly string[];
  /** Files only noted (values, SOPS, kustomize configs): skipped testcases in JUnit. @default - none */
  readonly skippedFiles?: readonly string[];
  /** Fields of the JSON output besides `findings`. */
  readonly json: Record<string, unknown>;
  /** The closing line of the text output. */
  readonly summary: string;
  /** Text output names each finding's cluster(s). @default false */
  readonly showClusters?: boolean;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.message.localeCompare(b.message));
}

/** The report in the chosen format: text for people, JSON, JUnit XML or SARIF 2.1.0 for machines. */
export function renderReport(format: Format, report: ValidateReport): string {
  const findings = sortFindings(report.findings);
  switch (format) {
    case 'json':
      return `${JSON.stringify({ ...report.json, findings }, null, 2)}\n`;
    case 'junit':
      return toJUnit(findings, report.files, report.skippedFiles);
    case 'sarif':
      return toSarif(findings, '0.1.0');
    default:
      return `${findings.map((finding) => `${finding.severity === 'error' ? 'error' : finding.severity}: ${formatFinding(finding)}${report.showClusters && finding.cluster ? ` [${finding.cluster}]` : ''}\n`).join('')}${report.summary}\n`;
  }
}
