import { describe, expect, it } from 'vitest';
import type { PolicyViolation } from './evaluate';
import { violationsToFindings } from './findings';
import { renderPolicyReport } from './report';

const base = { template: 'flotillaimagetags', constraintKind: 'FlotillaImageTags', constraintName: 'no-latest', object: 'Pod team-a/web', file: 'clusters/prod/web.yaml', cluster: 'prod' };
const violations: PolicyViolation[] = [
  { ...base, enforcementAction: 'warn', message: 'images use a disallowed tag | latest' },
  { ...base, enforcementAction: 'deny', message: 'images must have a tag' },
  { ...base, enforcementAction: 'scoped', scopedEnforcementActions: ['warn', 'deny'], message: 'scoped one' },
  { ...base, enforcementAction: 'dryrun', message: 'No such key: spec', evaluationError: true },
];

describe('violationsToFindings', () => {
  it('maps deny (and scoped deny) to errors, warn and dryrun to warnings', () => {
    const findings = violationsToFindings(violations);
    expect(findings.map((f) => [f.severity, f.code])).toEqual([
      ['warning', 'policy/flotillaimagetags'],
      ['error', 'policy/flotillaimagetags'],
      ['error', 'policy/flotillaimagetags'],
      ['warning', 'policy/evaluation-error'],
    ]);
    expect(findings[1]).toMatchObject({ file: 'clusters/prod/web.yaml', object: 'Pod team-a/web', cluster: 'prod', message: 'FlotillaImageTags no-latest (deny): images must have a tag' });
    expect(findings[3]!.message).toContain('evaluation error: No such key');
  });
});

describe('renderPolicyReport', () => {
  it('lists violations most severe first in Markdown and JSON', () => {
    const { markdown, json } = renderPolicyReport('prod', violations);
    expect(markdown).toContain('# Policy report: prod');
    expect(markdown).toContain('4 violations: 2 deny, 1 warn, 1 dryrun.');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Enforcement') && !line.startsWith('| ---'));
    expect(rows.map((row) => row.split(' | ')[0])).toEqual(['| deny', '| scoped (warn, deny)', '| warn', '| dryrun']);
    expect(markdown).toContain('images use a disallowed tag \\| latest');
    const parsed = JSON.parse(json);
    expect(parsed.summary).toEqual({ total: 4, deny: 2, warn: 1, dryrun: 1 });
    expect(parsed.violations[0]).toEqual({ policy: 'flotillaimagetags', constraint: { kind: 'FlotillaImageTags', name: 'no-latest' }, enforcement: 'deny', object: 'Pod team-a/web', file: 'clusters/prod/web.yaml', message: 'images must have a tag' });
  });

  it('says so when there is nothing to report', () => {
    expect(renderPolicyReport('dev', []).markdown).toBe('# Policy report: dev\n\nNo policy violations.\n');
  });

  it('lists the constraints it could not evaluate offline, so "no violations" is not read as verified', () => {
    const reason = 'external data: not evaluated offline (Rego calls provider ratify-provider at admission)';
    const { markdown, json } = renderPolicyReport('prod', [], [{ kind: 'FlotillaImageSignatures', name: 'image-signatures', reason }]);
    expect(markdown).toBe(`# Policy report: prod\n\nNo policy violations.\n\nNot evaluated offline (checked at admission only):\n\n- FlotillaImageSignatures/image-signatures: ${reason}\n`);
    expect(JSON.parse(json).notEvaluated).toEqual([{ constraint: { kind: 'FlotillaImageSignatures', name: 'image-signatures' }, reason }]);
  });
});
