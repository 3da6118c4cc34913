import { describe, expect, it } from 'vitest';
import { archivedFinding, findingId, generatorId, productArn, sameContent, truncationFinding, violationFinding, type FindingContext } from './asff';
import { severityFor, severityOverride } from './severity';
import { parseObjectRef, type PolicyViolationRecord } from './violation';

const context: FindingContext = { account: '222222222222', region: 'eu-north-1', source: 'audit', eksClusterName: 'prod-eks' };
const times = { createdAt: '2026-12-04T10:00:00.000Z', updatedAt: '2026-12-04T10:00:00.000Z' };
const violation: PolicyViolationRecord = {
  cluster: 'prod',
  constraintKind: 'FlotillaAllowedRepos',
  constraintName: 'allowed-repositories',
  enforcementAction: 'deny',
  object: { kind: 'Deployment', apiGroup: 'apps', namespace: 'team-a', name: 'web' },
  message: 'container web uses docker.io/nginx, which is not an allowed repository',
};

describe('violationFinding', () => {
  it('maps a violation to an ACTIVE ASFF finding of the account default product', () => {
    const finding = violationFinding(violation, context, times);
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: 'flotilla/gatekeeper/audit/prod/FlotillaAllowedRepos/allowed-repositories/team-a/Deployment.apps/web',
      ProductArn: 'arn:aws:securityhub:eu-north-1:222222222222:product/222222222222/default',
      GeneratorId: 'flotilla/gatekeeper/audit/prod/FlotillaAllowedRepos/allowed-repositories',
      AwsAccountId: '222222222222',
      Region: 'eu-north-1',
      Types: ['Software and Configuration Checks/Kubernetes Policies'],
      Severity: { Label: 'HIGH', Normalized: 80, Original: 'deny' },
      FindingProviderFields: { Severity: { Label: 'HIGH', Original: 'deny' } },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      Title: 'FlotillaAllowedRepos/allowed-repositories: Deployment.apps team-a/web in prod',
    });
    expect(finding.Resources).toEqual([
      {
        Type: 'Other',
        Id: 'arn:aws:eks:eu-north-1:222222222222:cluster/prod-eks/team-a/Deployment.apps/web',
        Partition: 'aws',
        Region: 'eu-north-1',
        Details: { Other: { cluster: 'prod', kind: 'Deployment', apiGroup: 'apps', namespace: 'team-a', name: 'web' } },
      },
      { Type: 'AwsEksCluster', Id: 'arn:aws:eks:eu-north-1:222222222222:cluster/prod-eks', Partition: 'aws', Region: 'eu-north-1', Details: { AwsEksCluster: { Name: 'prod-eks' } } },
    ]);
  });

  it('keeps ids apart per source, cluster and object, and hashes ids over 512 characters', () => {
    const ids = new Set([
      findingId(context, violation),
      findingId({ ...context, source: 'pre-merge' }, violation),
      findingId(context, { ...violation, cluster: 'dev' }),
      findingId(context, { ...violation, object: { ...violation.object, apiGroup: undefined } }),
      findingId(context, { ...violation, object: { ...violation.object, namespace: undefined } }),
    ]);
    expect(ids.size).toBe(5);
    const long = findingId(context, { ...violation, object: { ...violation.object, name: 'x'.repeat(600) } });
    expect(long).toMatch(/^flotilla\/gatekeeper\/audit\/prod\/FlotillaAllowedRepos\/allowed-repositories\/sha256-[0-9a-f]{64}$/);
    expect(findingId(context, { ...violation, object: { ...violation.object, name: 'x'.repeat(600) } })).toBe(long);
  });

  it('takes the severity from the constraint, else from the enforcement action', () => {
    expect(['deny', 'warn', 'dryrun', 'scoped'].map((a) => severityFor(a))).toEqual(['HIGH', 'MEDIUM', 'LOW', 'MEDIUM']);
    expect(violationFinding({ ...violation, severity: 'CRITICAL' }, context, times).Severity).toEqual({ Label: 'CRITICAL', Normalized: 95, Original: 'deny' });
    expect(severityOverride({ annotations: { 'flotilla.dev/severity': 'critical' } })).toEqual({ severity: 'CRITICAL' });
    expect(severityOverride({ labels: { 'flotilla.dev/severity': 'urgent' } }).problem).toBe(
      "flotilla.dev/severity 'urgent' is not one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL; using the enforcement action's default",
    );
  });

  it('clips title and description to the ASFF limits', () => {
    const finding = violationFinding({ ...violation, message: 'm'.repeat(2000) }, context, times);
    expect(finding.Description).toHaveLength(1024);
    expect(finding.Description.endsWith('…')).toBe(true);
  });
});

describe('truncation, archive and comparison', () => {
  it('adds an INFORMATIONAL finding naming the hidden count', () => {
    const finding = truncationFinding({ cluster: 'prod', constraintKind: 'K', constraintName: 'c', enforcementAction: 'warn', totalViolations: 27, listedViolations: 20 }, context, times);
    expect(finding.Id).toBe(`${generatorId(context, 'prod', 'K', 'c')}/_truncated`);
    expect(finding.Severity.Label).toBe('INFORMATIONAL');
    expect(finding.Title).toBe('K/c: 7 more violation(s) than listed in prod');
  });

  it('archives by RecordState and compares content without times or Security Hub fields', () => {
    const finding = violationFinding(violation, context, times);
    const later = violationFinding(violation, context, { createdAt: times.createdAt, updatedAt: '2026-12-04T10:10:00.000Z' });
    expect(sameContent(finding, { ...later, ProductFields: { ...later.ProductFields, 'aws/securityhub/FindingId': 'x' } })).toBe(true);
    expect(sameContent(finding, violationFinding({ ...violation, message: 'other' }, context, times))).toBe(false);
    expect(archivedFinding(finding, '2026-12-04T11:00:00.000Z')).toMatchObject({ RecordState: 'ARCHIVED', UpdatedAt: '2026-12-04T11:00:00.000Z', CreatedAt: times.createdAt });
    expect(productArn({ account: '1', region: 'cn-north-1' })).toBe('arn:aws-cn:securityhub:cn-north-1:1:product/1/default');
  });

  it('parses the policy report object references', () => {
    expect(parseObjectRef('Deployment team-a/web')).toEqual({ kind: 'Deployment', namespace: 'team-a', name: 'web' });
    expect(parseObjectRef('ClusterRole admin')).toEqual({ kind: 'ClusterRole', name: 'admin' });
    expect(() => parseObjectRef('nonsense')).toThrow("object reference 'nonsense' is not 'Kind namespace/name' or 'Kind name'");
  });
});
