import { sha256 } from './blob';
import { PublishError } from './publish-error';
import { isLocalHost, type RegistryEndpoint } from './registry-endpoint';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** What one client sent, so callers (and tests) can show that an unchanged publish wrote nothing. */
export interface RequestCounts {
  requests: number;
  blobUploads: number;
  manifestPuts: number;
}

export interface Manifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly data: Buffer;
}

const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

/**
 * A small OCI distribution client over fetch: blob HEAD / upload (POST then PUT), manifest
 * GET / HEAD / PUT, and the registry's auth challenge (Bearer token service or Basic).
 *
 * @see https://github.com/opencontainers/distribution-spec/blob/main/spec.md
 */
export class RegistryClient {
  readonly counts: RequestCounts = { requests: 0, blobUploads: 0, manifestPuts: 0 };
  private readonly tokens = new Map<string, string>();
  private basic: string | undefined;

  constructor(
    readonly endpoint: RegistryEndpoint,
    private readonly credentials?: RegistryCredentials,
    /** Send Basic credentials before any challenge (ECR always answers with one). @default false */
    preemptiveBasic = false,
  ) {
    if (preemptiveBasic && credentials) this.basic = basicHeader(credentials);
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.send('HEAD', repository, `/v2/${repository}/blobs/${digest}`);
    if (response.status === 404) return false;
    await this.expect(response, [200], 'HEAD', `blob ${digest}`);
    return true;
  }

  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const response = await this.send('GET', repository, `/v2/${repository}/blobs/${digest}`);
    await this.expect(response, [200], 'GET', `blob ${digest}`);
    return Buffer.from(await response.arrayBuffer());
  }

  /** Uploads a blob unless the registry has it; resolves to whether it was uploaded. */
  async pushBlob(repository: string, digest: string, data: Buffer): Promise<boolean> {
    if (await this.hasBlob(repository, digest)) return false;
    const start = await this.send('POST', repository, `/v2/${repository}/blobs/uploads/`, { 'content-length': '0' });
    await this.expect(start, [202], 'POST', 'blob upload');
    const location = start.headers.get('location');
    if (!location) throw new PublishError(undefined, `registry ${this.endpoint.host} started an upload without a Location header`);
    const url = new URL(location, this.base());
    this.checkScheme(url);
    url.searchParams.set('digest', digest);
    const put = await this.send('PUT', repository, url.toString(), { 'content-type': 'application/octet-stream', 'content-length': String(data.length) }, data);
    await this.expect(put, [201], 'PUT', `blob ${digest}`);
    this.counts.blobUploads++;
    return true;
  }

  /** The manifest at a tag or digest, or undefined when the registry has none. */
  async getManifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const response = await this.send('GET', repository, `/v2/${repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
    if (response.status === 404) {
      await response.arrayBuffer();
      return undefined;
    }
    await this.expect(response, [200], 'GET', `manifest ${reference}`);
    const data = Buffer.from(await response.arrayBuffer());
    return { digest: sha256(data), mediaType: response.headers.get('content-type') ?? '', data };
  }

  async putManifest(repository: string, reference: string, mediaType: string, data: Buffer): Promise<void> {
    const response = await this.send('PUT', repository, `/v2/${repository}/manifests/${reference}`, { 'content-type': mediaType, 'content-length': String(data.length) }, data);
    await this.expect(response, [201], 'PUT', `manifest ${reference}`);
    this.counts.manifestPuts++;
  }

  private base(): string {
    return `${this.endpoint.scheme}://${this.endpoint.host}`;
  }

  private checkScheme(url: URL): void {
    if (url.protocol === 'http:' && !isLocalHost(url.host)) {
      throw new PublishError(undefined, `registry ${this.endpoint.host} sent us to ${url.origin}: plain HTTP is allowed only for localhost or 127.0.0.1`);
    }
  }

  /** One request, answering an auth challenge once. `target` is a path or an absolute URL. */
  private async send(method: string, repository: string, target: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Response> {
    const url = target.startsWith('/') ? `${this.base()}${target}` : target;
    let response = await this.fetch(url, method, { ...headers, ...this.authorization(repository) }, body);
    if (response.status !== 401) return response;
    const challenge = response.headers.get('www-authenticate') ?? '';
    const bearer = /^bearer\s/i.test(challenge) && !this.tokens.has(repository);
    const basic = /^basic\b/i.test(challenge) && this.credentials !== undefined && this.basic === undefined;
    // Answer a challenge once; a second 401 goes back to the caller with its error body.
    if (!bearer && !basic) return response;
    await response.arrayBuffer();
    if (bearer) await this.fetchToken(repository, challenge);
    else this.basic = basicHeader(this.credentials!);
    response = await this.fetch(url, method, { ...headers, ...this.authorization(repository) }, body);
    return response;
  }

  private authorization(repository: string): Record<string, string> {
    const token = this.tokens.get(repository);
    if (token) return { authorization: `Bearer ${token}` };
    return this.basic ? { authorization: this.basic } : {};
  }

  private async fetchToken(repository: string, challenge: string): Promise<void> {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
    if (!params.realm) throw new PublishError(undefined, `registry ${this.endpoint.host} asked for a Bearer token without a realm: ${challenge}`);
    const url = new URL(params.realm);
    this.checkScheme(url);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', `repository:${repository}:pull,push`);
    const response = await this.fetch(url.toString(), 'GET', this.credentials ? { authorization: basicHeader(this.credentials) } : {});
    await this.expect(response, [200], 'GET', `token from ${url.origin}${url.pathname}`);
    const json = (await response.json()) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    if (!token) throw new PublishError(undefined, `the token service ${url.origin} answered without a token`);
    this.tokens.set(repository, token);
  }

  private async fetch(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
    this.counts.requests++;
    try {
      return await fetch(url, { method, headers, body, redirect: 'follow' });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new PublishError(undefined, `cannot reach registry at ${new URL(url).origin} (${method} ${new URL(url).pathname}): ${cause}`);
    }
  }

  private async expect(response: Response, statuses: number[], method: string, what: string): Promise<void> {
    if (statuses.includes(response.status)) return;
    const text = method === 'HEAD' ? '' : await response.text().catch(() => '');
    let detail = text.slice(0, 300);
    try {
      const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors;
      if (errors?.length) detail = errors.map((e) => `${e.code}: ${e.message}`).join('; ');
    } catch {
      // not JSON: keep the text
    }
    const hint = response.status === 401 || response.status === 403 ? ' (check the registry credentials and that they may push to this repository)' : '';
    throw new PublishError(undefined, `registry ${this.endpoint.host}: ${method} ${what} answered ${response.status}${detail ? ` ${detail}` : ''}${hint}`);
  }
}

function basicHeader(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
