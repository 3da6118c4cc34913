import type { Finding } from '@flotilla/model';
import { splitLocation } from './location';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * JUnit XML: one testcase per validated file, with one <failure> per error in it; warnings and notes
 * go to the testcase's system-out. Files that were only noted (values, SOPS…) are skipped testcases.
 */
export function toJUnit(findings: readonly Finding[], files: readonly string[], skippedFiles: readonly string[] = []): string {
  const byFile = new Map<string, Finding[]>();
  for (const file of files) byFile.set(file, []);
  for (const finding of findings) {
    const file = finding.file ? splitLocation(finding.file).uri : '(no file)';
    byFile.set(file, [...(byFile.get(file) ?? []), finding]);
  }
  const skipped = new Set(skippedFiles);
  const names = [...byFile.keys()].sort();
  let failures = 0;
  let skips = 0;
  const cases = names.map((name) => {
    const list = byFile.get(name)!;
    const errors = list.filter((finding) => finding.severity === 'error');
    failures += errors.length > 0 ? 1 : 0;
    const isSkipped = errors.length === 0 && skipped.has(name);
    skips += isSkipped ? 1 : 0;
    const body = [
      ...errors.map((finding) => {
        const text = [finding.file, finding.object, finding.path, finding.message, finding.fix ? `fix: ${finding.fix}` : undefined].filter(Boolean).join('\n');
        return `      <failure type="${escapeXml(finding.code)}" message="${escapeXml(finding.message)}">${escapeXml(text)}</failure>`;
      }),
      ...(isSkipped ? [`      <skipped message="${escapeXml(list.map((finding) => finding.message).join('; ') || 'not a manifest')}"/>`] : []),
      ...(list.length > errors.length && !isSkipped
        ? [`      <system-out>${escapeXml(list.filter((finding) => finding.severity !== 'error').map((finding) => `${finding.severity}: ${finding.file}: ${finding.message}`).join('\n'))}</system-out>`]
        : []),
    ];
    const open = `    <testcase classname="flotilla.validate" name="${escapeXml(name)}" file="${escapeXml(name)}"`;
    return body.length > 0 ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="flotilla validate" tests="${names.length}" failures="${failures}" errors="0" skipped="${skips}">`,
    `  <testsuite name="flotilla validate" tests="${names.length}" failures="${failures}" errors="0" skipped="${skips}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
