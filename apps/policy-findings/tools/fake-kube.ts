// A Kubernetes API server subset for Gatekeeper constraints, over HTTPS on 127.0.0.1 with a throwaway CA made by
// openssl, that authenticates like EKS: the bearer token must be a `k8s-aws-v1.` presigned STS GetCallerIdentity
// URL whose SigV4 signature (checked here with the fake secret key) covers `x-k8s-aws-id: <this cluster>`.
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeConstraint {
  readonly kind: string;
  readonly name: string;
  readonly enforcementAction?: string;
  readonly annotations?: Record<string, string>;
  readonly status?: {
    readonly auditTimestamp?: string;
    readonly totalViolations?: number;
    readonly violations?: readonly { kind: string; name: string; namespace?: string; group?: string; version?: string; message: string; enforcementAction: string }[];
  };
}

export interface KubeRequest {
  readonly url: string;
  readonly status: number;
  readonly authorization?: string;
}

export interface TokenCheck {
  readonly ok: boolean;
  readonly problem?: string;
}

/** SHA-256 / HMAC-SHA-256 in the shape SigV4 expects, from node:crypto (independent of the SDK's hash under test). */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A self-signed CA/server certificate for 127.0.0.1 (openssl is on every CI image). */
export function throwawayCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-kube-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Checks an EKS token the way EKS does before replaying it against STS: prefix, base64url, the STS
 * GetCallerIdentity URL, 60 s expiry, `x-k8s-aws-id` among the signed headers, and the signature itself.
 */
export async function checkEksToken(token: string, props: { clusterName: string; region: string; accessKeyId: string; secretAccessKey: string }): Promise<TokenCheck> {
  if (!token.startsWith('k8s-aws-v1.')) return { ok: false, problem: 'token has no k8s-aws-v1. prefix' };
  const encoded = token.slice('k8s-aws-v1.'.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return { ok: false, problem: 'token is not unpadded base64url' };
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'token does not decode to a URL' };
  }
  const q = url.searchParams;
  const expected: [string, string | null, string][] = [
    ['host', url.host, `sts.${props.region}.amazonaws.com`],
    ['path', url.pathname, '/'],
    ['Action', q.get('Action'), 'GetCallerIdentity'],
    ['Version', q.get('Version'), '2011-06-15'],
    ['X-Amz-Algorithm', q.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256'],
    ['X-Amz-Expires', q.get('X-Amz-Expires'), '60'],
    ['X-Amz-SignedHeaders', q.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id'],
  ];
  for (const [field, actual, want] of expected) if (actual !== want) return { ok: false, problem: `${field} is ${actual}, expected ${want}` };
  const credential = q.get('X-Amz-Credential') ?? '';
  if (!new RegExp(`^${props.accessKeyId}/\\d{8}/${props.region}/sts/aws4_request$`).test(credential)) return { ok: false, problem: `X-Amz-Credential ${credential} is not scoped to sts in ${props.region}` };
  const amzDate = q.get('X-Amz-Date') ?? '';
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (Number.isNaN(signingDate.getTime())) return { ok: false, problem: `X-Amz-Date ${amzDate} is not a SigV4 date` };
  // Re-sign the same request for the cluster this server is: a token for another cluster gets another signature.
  const query: Record<string, string> = {};
  for (const [key, value] of q) if (!key.startsWith('X-Amz-')) query[key] = value;
  const signer = new SignatureV4({ credentials: { accessKeyId: props.accessKeyId, secretAccessKey: props.secretAccessKey }, region: props.region, service: 'sts', sha256: Sha256 });
  const resigned = await signer.presign(
    new HttpRequest({ method: 'GET', protocol: 'https:', hostname: url.host, path: '/', query, headers: { host: url.host, 'x-k8s-aws-id': props.clusterName } }),
    { expiresIn: 60, signingDate },
  );
  if (resigned.query?.['X-Amz-Signature'] !== q.get('X-Amz-Signature')) return { ok: false, problem: `signature does not match a GetCallerIdentity presigned for cluster ${props.clusterName}` };
  return { ok: true };
}

export class FakeKube {
  readonly constraints: FakeConstraint[] = [];
  readonly requests: KubeRequest[] = [];
  /** Problems of rejected tokens, newest last. */
  readonly rejectedTokens: string[] = [];
  /** Answer discovery with 404, as a cluster without any ConstraintTemplate does. */
  noConstraintGroup = false;
  url = '';
  caData = '';
  private server?: Server;

  constructor(private readonly props: { clusterName: string; region: string; accessKeyId: string; secretAccessKey: string }) {}

  async start(tls = throwawayCertificate()): Promise<string> {
    this.caData = tls.cert.toString('base64');
    this.server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      req.resume();
      req.on('end', () => void this.serve(req, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve, reject) => (this.server ? this.server.close((e) => (e ? reject(e) : resolve())) : resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://local');
    const send = (status: number, value: unknown) => {
      this.requests.push({ url: req.url ?? '', status, authorization: req.headers.authorization });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const statusObject = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const check = bearer ? await checkEksToken(bearer, this.props) : { ok: false, problem: 'no bearer token' };
    if (!check.ok) {
      this.rejectedTokens.push(check.problem!);
      return send(401, statusObject(401, 'Unauthorized', 'Unauthorized'));
    }
    const base = '/apis/constraints.gatekeeper.sh/v1beta1';
    const kinds = [...new Set(this.constraints.map((c) => c.kind))];
    if (req.method === 'GET' && url.pathname === base) {
      if (this.noConstraintGroup) return send(404, statusObject(404, 'NotFound', 'the server could not find the requested resource'));
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'constraints.gatekeeper.sh/v1beta1',
        resources: kinds.flatMap((kind) => [
          { name: kind.toLowerCase(), singularName: kind.toLowerCase(), namespaced: false, kind, verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'], categories: ['constraint', 'constraints'] },
          { name: `${kind.toLowerCase()}/status`, singularName: '', namespaced: false, kind, verbs: ['get', 'patch', 'update'] },
        ]),
      });
    }
    const list = new RegExp(`^${base}/([a-z0-9]+)$`).exec(url.pathname);
    const kind = list && kinds.find((k) => k.toLowerCase() === list[1]);
    if (req.method === 'GET' && kind) {
      const items = this.constraints.filter((c) => c.kind === kind);
      // Pages of one item, to exercise the continue token.
      const start = Number(url.searchParams.get('continue') ?? '0');
      const item = items[start];
      const next = start + 1 < items.length ? String(start + 1) : undefined;
      return send(200, {
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind: `${kind}List`,
        metadata: { resourceVersion: '42', ...(next ? { continue: next } : {}) },
        items: item
          ? [
              {
                apiVersion: 'constraints.gatekeeper.sh/v1beta1',
                kind,
                metadata: { name: item.name, ...(item.annotations ? { annotations: item.annotations } : {}) },
                spec: { enforcementAction: item.enforcementAction ?? 'deny' },
                ...(item.status ? { status: item.status } : {}),
              },
            ]
          : [],
      });
    }
    return send(404, statusObject(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`));
  }
}
