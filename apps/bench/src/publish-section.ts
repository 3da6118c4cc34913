import { existsSync, readFileSync } from 'node:fs';

/** Markers of the publish section in docs/benchmarks.md, written by publish-bench.ts. */
export const PUBLISH_BEGIN = '<!-- publish-bench:begin -->';
export const PUBLISH_END = '<!-- publish-bench:end -->';

/** Carries the publish section of an existing report into a freshly rendered one (before its embedded figures). */
export function keepPublishSection(file: string, report: string): string {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = old.indexOf(PUBLISH_BEGIN);
  const end = old.indexOf(PUBLISH_END);
  if (start < 0 || end < start) return report;
  return insertSection(report, old.slice(start, end + PUBLISH_END.length));
}

export function insertSection(report: string, section: string): string {
  const start = report.indexOf(PUBLISH_BEGIN);
  if (start >= 0) return report.slice(0, start) + section + report.slice(report.indexOf(PUBLISH_END) + PUBLISH_END.length);
  const figures = report.indexOf('<!-- bench-result:');
  return figures < 0 ? `${report}\n${section}\n` : `${report.slice(0, figures)}${section}\n\n${report.slice(figures)}`;
}
