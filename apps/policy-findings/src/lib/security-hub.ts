import { BatchImportFindingsCommand, GetFindingsCommand, type AwsSecurityFinding, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AsffFinding } from '@flotilla/policy-findings-contract';

/** BatchImportFindings accepts at most 100 findings per request. */
export const IMPORT_BATCH_SIZE = 100;
/** Rounds of re-sending findings a 200 response reported in `FailedFindings` (the SDK already retried the request). */
export const FAILED_FINDING_ROUNDS = 3;

/** The fields Flotilla sets on a finding; everything else on a read finding belongs to Security Hub or the customer. */
const PROVIDER_FIELDS = [
  'SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'Region', 'Types', 'CreatedAt', 'UpdatedAt', 'FirstObservedAt',
  'LastObservedAt', 'Severity', 'FindingProviderFields', 'Title', 'Description', 'ProductName', 'CompanyName', 'ProductFields', 'Resources',
  'Workflow', 'RecordState',
] as const;

/**
 * The ACTIVE findings this function imported earlier for one cluster: same product, GeneratorId under the
 * cluster's prefix, RecordState ACTIVE. Paged by `NextToken`, 100 at a time.
 */
export async function activeFindings(client: SecurityHubClient, productArn: string, generatorPrefix: string): Promise<Map<string, AsffFinding>> {
  const found = new Map<string, AsffFinding>();
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetFindingsCommand({
        Filters: {
          ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
          GeneratorId: [{ Value: generatorPrefix, Comparison: 'PREFIX' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        },
        MaxResults: 100,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    for (const finding of page.Findings ?? []) found.set(finding.Id!, providerView(finding));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return found;
}

/** A read finding reduced to what the provider may send back (Security Hub's own ProductFields removed). */
export function providerView(finding: AwsSecurityFinding): AsffFinding {
  const view: Record<string, unknown> = {};
  for (const key of PROVIDER_FIELDS) if (finding[key] !== undefined) view[key] = finding[key];
  view.ProductFields = Object.fromEntries(Object.entries(finding.ProductFields ?? {}).filter(([key]) => key.startsWith('flotilla/')));
  return view as unknown as AsffFinding;
}

export interface ImportFailure {
  readonly id: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface ImportResult {
  readonly imported: number;
  readonly requests: number;
  /** Findings still rejected after {@link FAILED_FINDING_ROUNDS} rounds. */
  readonly failed: readonly ImportFailure[];
}

export interface ImportOptions {
  /** Pause before re-sending failed findings, per round (doubles each round). @default 200 */
  readonly retryDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Imports findings in batches of at most 100. Throttling and 5xx on the request are retried by the SDK's
 * standard retry strategy; findings a successful response lists in `FailedFindings` are re-sent in up to
 * three more rounds with backoff, then reported.
 */
export async function importFindings(client: SecurityHubClient, findings: readonly AsffFinding[], options: ImportOptions = {}): Promise<ImportResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let pending = [...findings];
  let failures: ImportFailure[] = [];
  let imported = 0;
  let requests = 0;
  for (let round = 0; round <= FAILED_FINDING_ROUNDS && pending.length > 0; round++) {
    if (round > 0) await sleep((options.retryDelayMs ?? 200) * 2 ** (round - 1));
    failures = [];
    for (let start = 0; start < pending.length; start += IMPORT_BATCH_SIZE) {
      const batch = pending.slice(start, start + IMPORT_BATCH_SIZE);
      requests += 1;
      const response = await client.send(new BatchImportFindingsCommand({ Findings: batch as AwsSecurityFinding[] }));
      imported += response.SuccessCount ?? 0;
      for (const failed of response.FailedFindings ?? []) failures.push({ id: failed.Id ?? '', errorCode: failed.ErrorCode ?? '', errorMessage: failed.ErrorMessage ?? '' });
    }
    const failedIds = new Set(failures.map((f) => f.id));
    pending = pending.filter((f) => failedIds.has(f.Id));
  }
  return { imported, requests, failed: failures };
}
