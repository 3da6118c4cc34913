import type { Finding } from '@flotilla/model';
import { splitLocation } from './location';

const LEVELS = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * SARIF 2.1.0 for GitHub code scanning: one result per finding, its rule the finding's code, its
 * location the file and line (paths relative to the repository root, `%SRCROOT%`).
 */
export function toSarif(findings: readonly Finding[], version: string): string {
  const codes = [...new Set(findings.map((finding) => finding.code))].sort();
  const results = findings.map((finding) => {
    const where = finding.file ? splitLocation(finding.file) : undefined;
    const text = [finding.object, finding.path, finding.message].filter(Boolean).join(': ') + (finding.fix ? ` (fix: ${finding.fix})` : '');
    return {
      ruleId: finding.code,
      ruleIndex: codes.indexOf(finding.code),
      level: LEVELS[finding.severity],
      message: { text: finding.cluster ? `${text} [cluster ${finding.cluster}]` : text },
      locations: where
        ? [
            {
              physicalLocation: {
                artifactLocation: { uri: where.uri, uriBaseId: '%SRCROOT%' },
                ...(where.line ? { region: { startLine: where.line, ...(where.column ? { startColumn: where.column } : {}) } } : {}),
              },
            },
          ]
        : [],
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flotilla validate',
            version,
            rules: codes.map((code) => ({ id: code, name: code.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()), shortDescription: { text: `Flotilla check ${code}` } })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'the repository root' } } },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
