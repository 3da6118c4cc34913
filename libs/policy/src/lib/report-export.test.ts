import { describe, expect, it } from 'vitest';
import { objectLine } from './object-location';
import { parsePolicyReport } from './report-document';
import { reportToAsff, reportToSarif, type LocatedViolation } from './report-export';
import { renderPolicyReport } from './report';

const violation = (constraintName: string, enforcementAction: string, object: string, extra: Record<string, unknown> = {}) => ({
  template: 'flotillarequiredlabels',
  constraintKind: 'FlotillaRequiredLabels',
  constraintName,
  enforcementAction,
  object,
  file: `clusters/dev/apps/x/${object.replace(/[ /]/g, '_')}.yaml`,
  cluster: 'dev',
  message: `missing label on ${object}`,
  ...extra,
});

// The report as renderPolicyReport writes it, read back as the exporter does.
const report = parsePolicyReport(
  renderPolicyReport('dev', [
    violation('team-label', 'warn', 'Namespace scratch'),
    violation('cost-center', 'dryrun', 'Deployment team-a/web'),
    violation('owner', 'scoped', 'Deployment team-a/api', { scopedEnforcementActions: ['warn', 'deny'] }),
  ]).json,
  'dist/reports/dev/policy-report.json',
);
const entries: LocatedViolation[] = report.violations.map((v) => ({ cluster: 'dev', violation: v, line: 2 }));

describe('reportToSarif', () => {
  it('maps enforcement to SARIF levels and severity to security-severity, scoped by its most severe action', () => {
    const run = (reportToSarif(entries) as any).runs[0];
    expect(run.results.map((r: any) => [r.ruleId, r.level])).toEqual([
      ['FlotillaRequiredLabels/cost-center', 'note'],
      ['FlotillaRequiredLabels/owner', 'error'],
      ['FlotillaRequiredLabels/team-label', 'warning'],
    ]);
    expect(run.tool.driver.rules.map((r: any) => [r.id, r.properties['security-severity']])).toEqual([
      ['FlotillaRequiredLabels/cost-center', '2.0'],
      ['FlotillaRequiredLabels/owner', '8.0'],
      ['FlotillaRequiredLabels/team-label', '5.0'],
    ]);
    expect(run.results.map((r: any) => r.ruleIndex)).toEqual([0, 1, 2]);
  });

  it('is the same for the same input (no timestamps), and fingerprints per cluster, constraint and object', () => {
    expect(JSON.stringify(reportToSarif([...entries].reverse()))).toBe(JSON.stringify(reportToSarif(entries)));
    const prints = (reportToSarif(entries) as any).runs[0].results.map((r: any) => r.partialFingerprints['flotillaPolicyViolation/v1']);
    expect(new Set(prints).size).toBe(3);
  });
});

describe('reportToAsff', () => {
  it('uses the shared mapping with source pre-merge and the file and line as product fields', () => {
    const findings = reportToAsff(entries, () => ({ account: '111111111111', region: 'eu-north-1', source: 'pre-merge' }), { createdAt: 't0', updatedAt: 't0' });
    expect(findings.map((f) => [f.Id, f.Severity.Label])).toEqual([
      ['flotilla/gatekeeper/pre-merge/dev/FlotillaRequiredLabels/cost-center/team-a/Deployment/web', 'LOW'],
      ['flotilla/gatekeeper/pre-merge/dev/FlotillaRequiredLabels/owner/team-a/Deployment/api', 'HIGH'],
      ['flotilla/gatekeeper/pre-merge/dev/FlotillaRequiredLabels/team-label/_cluster/Namespace/scratch', 'MEDIUM'],
    ]);
    expect(findings[0]!.ProductFields).toMatchObject({ 'flotilla/file': 'clusters/dev/apps/x/Deployment_team-a_web.yaml', 'flotilla/line': '2' });
  });
});

describe('objectLine and parsePolicyReport', () => {
  it('finds the line of the named object among several documents', () => {
    const content = '# header\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n---\n# second\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: x\n';
    expect(objectLine(content, 'ConfigMap x/a')).toBe(2);
    expect(objectLine(content, 'ConfigMap x/b')).toBe(9);
    expect(objectLine(content, 'ConfigMap y/b')).toBeUndefined();
  });

  it('fails on a report of another shape, naming the file and the regeneration command', () => {
    expect(() => parsePolicyReport('{"cluster":"dev"}', 'dist/reports/dev/policy-report.json')).toThrow(
      "dist/reports/dev/policy-report.json: violations is missing or has the wrong type; regenerate it with 'npx flotilla validate clusters'",
    );
  });
});
