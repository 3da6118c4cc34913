import { existsSync, readFileSync } from 'node:fs';

/** Markers of the publish section in docs/benchmarks.md, written by publish-bench.ts. */
export const PUBLISH_BEGIN = '<!-- publish-bench:begin -->';
export const PUBLISH_END = '<!-- publish-bench:end -->';
/** Markers of the fleet-scale section, written by fleet-scale.ts. */
export const FLEET_SCALE_BEGIN = '<!-- fleet-scale:begin -->';
export const FLEET_SCALE_END = '<!-- fleet-scale:end -->';

/**
 * Carries the sections other benchmark scripts own (publish, fleet scale) of an existing report
 * into a freshly rendered one (before its embedded figures).
 */
export function keepPublishSection(file: string, report: string): string {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  let next = report;
  for (const [begin, end] of [
    [FLEET_SCALE_BEGIN, FLEET_SCALE_END],
    [PUBLISH_BEGIN, PUBLISH_END],
  ] as const) {
    const start = old.indexOf(begin);
    const stop = old.indexOf(end);
    if (start >= 0 && stop > start) next = insertSection(next, old.slice(start, stop + end.length), begin, end);
  }
  return next;
}

/** Replaces the section between `begin` and `end`, or adds it before the embedded figures. */
export function insertSection(report: string, section: string, begin = PUBLISH_BEGIN, end = PUBLISH_END): string {
  const start = report.indexOf(begin);
  if (start >= 0) return report.slice(0, start) + section + report.slice(report.indexOf(end) + end.length);
  const figures = report.indexOf('<!-- bench-result:');
  return figures < 0 ? `${report}\n${section}\n` : `${report.slice(0, figures)}${section}\n\n${report.slice(figures)}`;
}
