// The handler with the real AWS SDK v3 and the real @kubernetes/client-node against local servers: Security Hub
// and EKS over HTTP (tools/fake-aws.ts), two Kubernetes API servers over HTTPS that check the EKS token
// (tools/fake-kube.ts). The bundle itself is exercised in tools/bundle.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAws } from '../../tools/fake-aws';
import type { FakeKube } from '../../tools/fake-kube';
import { createHandler, PolicyFindingsSyncError, type HandlerOptions } from './handler';
import type { LogEntry } from './log';
import { allowedRepos, AUDITED, fakeCluster, twoClusterConfig } from '../testing';

let aws: FakeAws;
let prod: FakeKube;
let dev: FakeKube;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  aws = new FakeAws();
  prod = fakeCluster('prod-eks');
  dev = fakeCluster('dev');
  await Promise.all([aws.start(), prod.start(), dev.start()]);
  for (const [key, value] of Object.entries(aws.sdkEnvironment())) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});
afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await Promise.all([aws.stop(), prod.stop(), dev.stop()]);
});
beforeEach(() => {
  aws.findings.clear();
  aws.imports.length = 0;
  aws.requests.length = 0;
  aws.pageSize = 2;
  for (const cluster of [prod, dev]) {
    cluster.constraints.length = 0;
    cluster.requests.length = 0;
    cluster.rejectedTokens.length = 0;
  }
});

/** A handler with a clock that advances 10 minutes per run, like the schedule. */
function scheduled(overrides: Partial<HandlerOptions> = {}) {
  const logs: LogEntry[] = [];
  let run = 0;
  const config = overrides.config ?? twoClusterConfig(aws, prod, dev);
  const handler = createHandler({ config, log: (entry) => logs.push(entry), importOptions: { retryDelayMs: 1 }, now: () => new Date(Date.UTC(2026, 11, 4, 10, 10 * run)), ...overrides });
  return {
    logs,
    invoke: async () => {
      run += 1;
      return handler({ id: `event-${run}` }, { awsRequestId: `req-${run}` });
    },
  };
}

const PROD_REPOS = 'flotilla/gatekeeper/audit/prod/FlotillaAllowedRepos/allowed-repositories';

describe('policy-findings handler with the real SDK and client-node', () => {
  it('imports every listed violation, a truncation finding, and authenticates with an EKS token per cluster', async () => {
    // GIVEN prod with two denied Deployments and a warn constraint that lists 1 of 3, dev with one violation
    prod.constraints.push(
      allowedRepos([{ name: 'web', namespace: 'team-a' }, { name: 'api', namespace: 'team-b' }]),
      {
        kind: 'FlotillaRequiredLabels',
        name: 'cost-center',
        enforcementAction: 'warn',
        annotations: { 'flotilla.dev/severity': 'LOW' },
        status: { auditTimestamp: AUDITED, totalViolations: 3, violations: [{ kind: 'Namespace', name: 'scratch', message: 'missing label CostCenter', enforcementAction: 'warn' }] },
      },
    );
    dev.constraints.push(allowedRepos([{ name: 'web', namespace: 'team-a' }]));
    const { invoke, logs } = scheduled();
    // WHEN the schedule fires
    const summary = await invoke();
    // THEN every cluster synced and Security Hub holds exactly these ACTIVE findings
    expect(summary.failed).toEqual([]);
    expect(summary.synced.map((s) => [s.cluster, s.constraints, s.created, s.unchanged, s.archived])).toEqual([
      ['prod', 2, 4, 0, 0],
      ['dev', 1, 1, 0, 0],
    ]);
    expect(aws.stored('ACTIVE').map((f) => f.Id)).toEqual([
      'flotilla/gatekeeper/audit/dev/FlotillaAllowedRepos/allowed-repositories/team-a/Deployment.apps/web',
      `${PROD_REPOS}/team-a/Deployment.apps/web`,
      `${PROD_REPOS}/team-b/Deployment.apps/api`,
      'flotilla/gatekeeper/audit/prod/FlotillaRequiredLabels/cost-center/_cluster/Namespace/scratch',
      'flotilla/gatekeeper/audit/prod/FlotillaRequiredLabels/cost-center/_truncated',
    ]);
    const web = aws.stored().find((f) => f.Id === `${PROD_REPOS}/team-a/Deployment.apps/web`)!;
    expect(web).toMatchObject({
      ProductArn: 'arn:aws:securityhub:eu-north-1:222222222222:product/222222222222/default',
      GeneratorId: PROD_REPOS,
      AwsAccountId: '222222222222',
      Region: 'eu-north-1',
      Types: ['Software and Configuration Checks/Kubernetes Policies'],
      Severity: { Label: 'HIGH', Original: 'deny' },
      CreatedAt: '2026-12-04T10:10:00.000Z',
      UpdatedAt: '2026-12-04T10:10:00.000Z',
      FirstObservedAt: AUDITED,
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    const labels = aws.stored().filter((f) => f.GeneratorId.endsWith('FlotillaRequiredLabels/cost-center'));
    expect(labels.map((f) => (f.Severity as { Label: string }).Label)).toEqual(['LOW', 'INFORMATIONAL']);
    expect(labels[1]!.Title).toBe('FlotillaRequiredLabels/cost-center: 2 more violation(s) than listed in prod');
    // AND both API servers accepted the presigned-STS bearer token (checked against the signing key and cluster)
    expect([...prod.rejectedTokens, ...dev.rejectedTokens]).toEqual([]);
    expect(prod.requests.map((r) => `${r.status} ${r.url}`)).toEqual([
      '200 /apis/constraints.gatekeeper.sh/v1beta1',
      '200 /apis/constraints.gatekeeper.sh/v1beta1/flotillaallowedrepos?limit=500',
      '200 /apis/constraints.gatekeeper.sh/v1beta1/flotillarequiredlabels?limit=500',
    ]);
    expect(prod.requests[0]!.authorization).toMatch(/^Bearer k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    // AND prod's endpoint came from eks:DescribeCluster, dev's from the config; Security Hub calls were signed
    expect(aws.requests.map((r) => `${r.api} ${r.status}`)).toEqual([
      'DescribeCluster 200',
      'GetFindings 200',
      'BatchImportFindings 200',
      'GetFindings 200',
      'BatchImportFindings 200',
    ]);
    expect(aws.requests[0]!.url).toBe('/clusters/prod-eks');
    expect(aws.requests[1]!.headers.authorization).toMatch(/Credential=AKIDEXAMPLEFAKE\/\d{8}\/eu-north-1\/securityhub\/aws4_request/);
    expect(JSON.parse(aws.requests[1]!.body).Filters).toEqual({
      ProductArn: [{ Value: 'arn:aws:securityhub:eu-north-1:222222222222:product/222222222222/default', Comparison: 'EQUALS' }],
      GeneratorId: [{ Value: 'flotilla/gatekeeper/audit/prod/', Comparison: 'PREFIX' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
    });
    expect(logs.filter((l) => l.message === 'synced policy findings').map((l) => [l.cluster, l.requestId, l.created])).toEqual([
      ['prod', 'req-1', 4],
      ['dev', 'req-1', 1],
    ]);
  });

  it('imports nothing on an unchanged second run; a changed message keeps CreatedAt and moves UpdatedAt', async () => {
    prod.constraints.push(allowedRepos([{ name: 'web', namespace: 'team-a' }, { name: 'api', namespace: 'team-b' }]));
    aws.pageSize = 1;
    const { invoke } = scheduled();
    await invoke();
    const before = JSON.stringify(aws.stored());
    aws.imports.length = 0;
    // WHEN nothing changed
    const second = await invoke();
    // THEN nothing is imported and every finding is byte-identical (GetFindings paged through NextToken)
    expect(second.synced[0]).toMatchObject({ cluster: 'prod', created: 0, updated: 0, unchanged: 2, archived: 0 });
    expect(aws.imports).toEqual([]);
    expect(JSON.stringify(aws.stored())).toBe(before);
    expect(aws.requests.filter((r) => r.api === 'GetFindings').map((r) => JSON.parse(r.body).NextToken ?? '-')).toEqual(['-', '-', '-', '1', '-']);
    // WHEN the message of one violation changes
    prod.constraints[0] = allowedRepos([{ name: 'web', namespace: 'team-a', message: 'container web uses ghcr.io/x/web' }, { name: 'api', namespace: 'team-b' }]);
    const third = await invoke();
    expect(third.synced[0]).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const web = aws.stored().find((f) => f.Id === `${PROD_REPOS}/team-a/Deployment.apps/web`)!;
    expect(web).toMatchObject({ Description: 'container web uses ghcr.io/x/web', CreatedAt: '2026-12-04T10:10:00.000Z', UpdatedAt: '2026-12-04T10:30:00.000Z' });
    // AND Security Hub's own ProductFields were not sent back
    expect(Object.keys(web.ProductFields as object).filter((k) => k.startsWith('aws/'))).toEqual([]);
  });

  it('archives the finding of a fixed violation and leaves constraints the audit has not reached alone', async () => {
    prod.constraints.push(allowedRepos([{ name: 'web', namespace: 'team-a' }, { name: 'api', namespace: 'team-b' }]));
    prod.constraints.push({ ...allowedRepos([{ name: 'job', namespace: 'batch' }]), kind: 'FlotillaHostPaths', name: 'host-paths' });
    const { invoke } = scheduled();
    await invoke();
    // WHEN api is fixed, and host-paths was re-created and has no audit result yet
    prod.constraints[0] = allowedRepos([{ name: 'web', namespace: 'team-a' }]);
    prod.constraints[1] = { kind: 'FlotillaHostPaths', name: 'host-paths', status: {} };
    const second = await invoke();
    // THEN api's finding is re-imported as ARCHIVED at this run's time; host-paths' finding stays ACTIVE
    expect(second.synced[0]).toMatchObject({ created: 0, unchanged: 1, archived: 1 });
    expect(aws.stored('ARCHIVED').map((f) => [f.Id, f.UpdatedAt, f.CreatedAt])).toEqual([
      [`${PROD_REPOS}/team-b/Deployment.apps/api`, '2026-12-04T10:20:00.000Z', '2026-12-04T10:10:00.000Z'],
    ]);
    expect(aws.stored('ACTIVE').map((f) => f.Id)).toEqual([
      `${PROD_REPOS}/team-a/Deployment.apps/web`,
      'flotilla/gatekeeper/audit/prod/FlotillaHostPaths/host-paths/batch/Deployment.apps/job',
    ]);
    // AND a third run archives nothing again
    aws.imports.length = 0;
    await invoke();
    expect(aws.imports).toEqual([]);
  });

  it('retries throttling through the SDK and re-sends findings a response lists as failed', async () => {
    prod.constraints.push(allowedRepos([{ name: 'web', namespace: 'team-a' }, { name: 'api', namespace: 'team-b' }]));
    aws.faults.push({ api: 'GetFindings', status: 429, errorType: 'TooManyRequestsException' }, { api: 'BatchImportFindings', status: 400, errorType: 'ThrottlingException' });
    aws.failFindings.set(`${PROD_REPOS}/team-b/Deployment.apps/api`, 'ThrottlingException');
    const { invoke } = scheduled();
    const summary = await invoke();
    expect(summary.failed).toEqual([]);
    expect(aws.stored('ACTIVE')).toHaveLength(2);
    expect(aws.requests.filter((r) => r.api !== 'DescribeCluster').slice(0, 5).map((r) => `${r.api} ${r.status} ${String(r.headers['amz-sdk-request'])}`)).toEqual([
      'GetFindings 429 attempt=1; max=5',
      'GetFindings 200 attempt=2; max=5',
      'BatchImportFindings 400 attempt=1; max=5',
      'BatchImportFindings 200 attempt=2; max=5',
      'BatchImportFindings 200 attempt=1; max=5',
    ]);
    // The second round carried only the finding the first one rejected.
    expect(JSON.parse(aws.requests.filter((r) => r.api === 'BatchImportFindings').at(-1)!.body).Findings.map((f: { Id: string }) => f.Id)).toEqual([`${PROD_REPOS}/team-b/Deployment.apps/api`]);
  });

  it('keeps syncing the other clusters when one cannot be reached or refuses the token, and logs each failure', async () => {
    prod.constraints.push(allowedRepos([{ name: 'web', namespace: 'team-a' }]));
    dev.constraints.push(allowedRepos([{ name: 'web', namespace: 'team-a' }]));
    const base = twoClusterConfig(aws, prod, dev);
    const closed = `https://127.0.0.1:${await closedPort()}`;
    const config = {
      ...base,
      clusters: [
        { name: 'gone', endpoint: closed, certificateAuthorityData: dev.caData },
        base.clusters[0]!,
        // dev's API server, but the token is signed for another cluster: EKS (and the fake) refuse it
        { name: 'imposter', eksClusterName: 'imposter', endpoint: dev.url, certificateAuthorityData: dev.caData },
        base.clusters[1]!,
      ],
    };
    const { invoke, logs } = scheduled({ config });
    const failure = await invoke().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PolicyFindingsSyncError);
    const summary = (failure as PolicyFindingsSyncError).summary;
    expect(summary.synced.map((s) => [s.cluster, s.created])).toEqual([
      ['prod', 1],
      ['dev', 1],
    ]);
    expect(summary.failed.map((f) => f.cluster)).toEqual(['gone', 'imposter']);
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors.map((l) => [l.message, l.cluster, l.requestId])).toEqual([
      ['cluster sync failed', 'gone', 'req-1'],
      ['cluster sync failed', 'imposter', 'req-1'],
    ]);
    expect(errors[0]!.error).toMatch(/ECONNREFUSED/);
    expect(errors[1]!.error).toMatch(/401/);
    expect(dev.rejectedTokens).toEqual(['signature does not match a GetCallerIdentity presigned for cluster dev']);
    expect(aws.stored('ACTIVE').map((f) => f.Id)).toEqual([
      'flotilla/gatekeeper/audit/dev/FlotillaAllowedRepos/allowed-repositories/team-a/Deployment.apps/web',
      `${PROD_REPOS}/team-a/Deployment.apps/web`,
    ]);
  });
});

/** A port nothing listens on: bind, read it, close. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
