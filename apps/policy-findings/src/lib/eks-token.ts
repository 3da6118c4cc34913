import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

type SignerInit = ConstructorParameters<typeof SignatureV4>[0];

/** Prefix of an EKS bearer token (aws-iam-authenticator's v1 token format). */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** Header that binds the presigned request to one cluster; EKS rejects a token signed for another cluster. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** `aws eks get-token` presigns for 60 s; EKS accepts the token for up to 15 minutes after signing. */
export const TOKEN_PRESIGN_SECONDS = 60;

export interface EksTokenProps {
  /** The EKS cluster name in AWS (what `aws eks get-token --cluster-name` takes). */
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: SignerInit['credentials'];
  /** SHA-256 implementation, e.g. an SDK client's `config.sha256`. */
  readonly sha256: SignerInit['sha256'];
  /** Signing time. @default - now */
  readonly signingDate?: Date;
}

/** The regional STS endpoint host the token is presigned for. */
export function stsHostname(region: string): string {
  return `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** The unsigned GetCallerIdentity request; the signer adds the X-Amz-* query parameters. */
export function callerIdentityRequest(clusterName: string, region: string): HttpRequest {
  const hostname = stsHostname(region);
  return new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: hostname, [CLUSTER_ID_HEADER]: clusterName },
  });
}

/** The URL a presigned request stands for, query in the signer's order. */
export function presignedUrl(request: { protocol: string; hostname: string; path: string; query?: Record<string, unknown> }): string {
  const query = Object.entries(request.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${request.protocol}//${request.hostname}${request.path}?${query}`;
}

/**
 * A Kubernetes bearer token for EKS, built the way `aws eks get-token` (and aws-iam-authenticator) does:
 * a SigV4-presigned STS `GetCallerIdentity` URL with the `x-k8s-aws-id: <cluster>` header among the signed
 * headers, expiring in 60 s, base64url-encoded without padding after the `k8s-aws-v1.` prefix. EKS replays the
 * URL against STS to learn the caller's IAM role, then maps it through the cluster's access entries.
 */
export async function eksToken(props: EksTokenProps): Promise<string> {
  const signer = new SignatureV4({ credentials: props.credentials, region: props.region, service: 'sts', sha256: props.sha256, uriEscapePath: true, applyChecksum: false });
  const signed = await signer.presign(callerIdentityRequest(props.clusterName, props.region), {
    expiresIn: TOKEN_PRESIGN_SECONDS,
    ...(props.signingDate ? { signingDate: props.signingDate } : {}),
  });
  return EKS_TOKEN_PREFIX + Buffer.from(presignedUrl(signed), 'utf8').toString('base64url');
}
