// An in-memory Security Hub (the finding-provider subset) and EKS DescribeCluster, spoken over real HTTP on
// 127.0.0.1 (restJson1), so the real SDK — serialisation, signing, retries — can be exercised without AWS.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_ACCESS_KEY_ID = 'AKIDEXAMPLEFAKE';
export const FAKE_SECRET_ACCESS_KEY = 'fake-secret-access-key';

/** Answer the next matching request with this status and error type instead of serving it (each fires once). */
export interface FakeFault {
  readonly api: string;
  readonly status: number;
  readonly errorType?: string;
}
export interface RecordedRequest {
  readonly api: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly status: number;
}
export interface StoredFinding {
  readonly [field: string]: unknown;
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly RecordState: string;
  readonly UpdatedAt: string;
  readonly CreatedAt: string;
}
interface StringFilter {
  Value: string;
  Comparison: string;
}

/** Fields BatchImportFindings requires (ASFF). */
const REQUIRED = ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'Types', 'CreatedAt', 'UpdatedAt', 'Severity', 'Title', 'Description', 'Resources'];

export class FakeAws {
  /** Findings by `ProductArn|Id`, as Security Hub stores them. */
  readonly findings = new Map<string, StoredFinding>();
  /** Every accepted import of a finding id, in order (creates and updates). */
  readonly imports: { id: string; recordState: string; created: boolean }[] = [];
  readonly clusters = new Map<string, { endpoint: string; certificateAuthorityData: string }>();
  readonly faults: FakeFault[] = [];
  /** Finding ids the next import answers with FailedFindings (ErrorCode given), once each. */
  readonly failFindings = new Map<string, string>();
  readonly requests: RecordedRequest[] = [];
  /** Page size of GetFindings (smaller than MaxResults to exercise NextToken). */
  pageSize = 2;
  url = '';
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.serve(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => (this.server ? this.server.close((e) => (e ? reject(e) : resolve())) : resolve()));
  }

  /** The environment that points the SDK (in this or a child process) at this server. */
  sdkEnvironment(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_SECURITYHUB: this.url,
      AWS_ENDPOINT_URL_EKS: this.url,
      AWS_REGION: 'eu-north-1',
      AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: FAKE_SECRET_ACCESS_KEY,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  /** Stored findings in a given record state, sorted by id. */
  stored(recordState?: 'ACTIVE' | 'ARCHIVED'): StoredFinding[] {
    return [...this.findings.values()].filter((f) => !recordState || f.RecordState === recordState).sort((a, b) => (a.Id < b.Id ? -1 : 1));
  }

  private serve(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://local');
    const api = routeName(req.method ?? 'GET', url.pathname);
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ api, url: req.url ?? '', headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${this.requests.length}`, ...headers });
      res.end(JSON.stringify(value));
    };
    const error = (status: number, type: string, message: string) => send(status, { message, Message: message }, { 'x-amzn-errortype': type });

    const faultIndex = this.faults.findIndex((f) => f.api === api);
    if (faultIndex >= 0) {
      const [fault] = this.faults.splice(faultIndex, 1);
      return error(fault!.status, fault!.errorType ?? 'InternalException', 'injected fault');
    }
    switch (api) {
      case 'BatchImportFindings': {
        const { Findings } = JSON.parse(body) as { Findings: StoredFinding[] };
        if (!Array.isArray(Findings) || Findings.length === 0 || Findings.length > 100) {
          return error(400, 'InvalidInputException', `Findings must hold 1 to 100 findings, got ${Findings?.length}`);
        }
        const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
        for (const finding of Findings) {
          const missing = REQUIRED.filter((key) => finding[key] === undefined);
          const injected = this.failFindings.get(finding.Id);
          if (injected) {
            this.failFindings.delete(finding.Id);
            failed.push({ Id: finding.Id, ErrorCode: injected, ErrorMessage: 'injected failure' });
          } else if (missing.length > 0) {
            failed.push({ Id: finding.Id, ErrorCode: 'InvalidInput', ErrorMessage: `missing ${missing.join(', ')}` });
          } else {
            const key = `${finding.ProductArn}|${finding.Id}`;
            const previous = this.findings.get(key);
            // Like Security Hub: the customer's Workflow survives provider updates.
            this.findings.set(key, previous ? { ...finding, Workflow: previous.Workflow } : finding);
            this.imports.push({ id: finding.Id, recordState: finding.RecordState, created: !previous });
          }
        }
        return send(200, { FailedCount: failed.length, SuccessCount: Findings.length - failed.length, FailedFindings: failed });
      }
      case 'GetFindings': {
        const input = JSON.parse(body) as { Filters?: Record<string, StringFilter[]>; MaxResults?: number; NextToken?: string };
        const matches = this.stored().filter((finding) =>
          Object.entries(input.Filters ?? {}).every(([field, filters]) =>
            filters.some((f) => {
              const value = String(finding[field] ?? '');
              if (f.Comparison === 'EQUALS') return value === f.Value;
              if (f.Comparison === 'PREFIX') return value.startsWith(f.Value);
              throw new Error(`fake-aws: filter comparison ${f.Comparison} not implemented`);
            }),
          ),
        );
        const start = Number(input.NextToken ?? '0');
        const size = Math.min(this.pageSize, input.MaxResults ?? 100);
        const page = matches.slice(start, start + size).map((f) => ({
          ...f,
          // What Security Hub adds on read; the provider must not send these back.
          ProductFields: { ...(f.ProductFields as Record<string, string>), 'aws/securityhub/FindingId': `${f.ProductArn}/${f.Id}`, 'aws/securityhub/ProductName': 'Default' },
          ProcessedAt: '2026-12-04T00:00:00.000Z',
        }));
        return send(200, { Findings: page, ...(start + size < matches.length ? { NextToken: String(start + size) } : {}) });
      }
      case 'DescribeCluster': {
        const name = decodeURIComponent(url.pathname.split('/')[2] ?? '');
        const cluster = this.clusters.get(name);
        if (!cluster) return error(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`);
        return send(200, { cluster: { name, arn: `arn:aws:eks:eu-north-1:222222222222:cluster/${name}`, status: 'ACTIVE', endpoint: cluster.endpoint, certificateAuthority: { data: cluster.certificateAuthorityData } } });
      }
      default:
        return error(404, 'UnknownOperationException', `fake-aws: no route for ${req.method} ${url.pathname}`);
    }
  }
}

function routeName(method: string, pathname: string): string {
  const routes: [string, RegExp, string][] = [
    ['POST', /^\/findings\/import$/, 'BatchImportFindings'],
    ['POST', /^\/findings$/, 'GetFindings'],
    ['GET', /^\/clusters\/[^/]+$/, 'DescribeCluster'],
  ];
  return routes.find(([m, re]) => m === method && re.test(pathname))?.[2] ?? `${method} ${pathname}`;
}
