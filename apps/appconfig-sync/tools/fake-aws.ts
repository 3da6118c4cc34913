// A small in-memory stand-in for the three AWS APIs the handler calls, spoken over real HTTP on 127.0.0.1, so the
// real SDK (serialisation, signing, retries) and the real bundle can be exercised without AWS.
// AppConfig and AppConfigData are restJson1 (paths), Secrets Manager is awsJson1_1 (X-Amz-Target).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeProfile {
  readonly locationUri: string;
  readonly type?: string;
}
export interface FakeContent {
  readonly content: string | Uint8Array;
  readonly contentType: string;
}
export interface FakeDeployment {
  readonly environmentId: string;
  readonly deploymentNumber: number;
  readonly configurationProfileId: string;
  readonly configurationVersion: string;
  readonly state: 'COMPLETE' | 'ROLLED_BACK' | 'DEPLOYING' | 'BAKING';
}
/** Answer the next request that matches with this status/error instead of serving it (each fault fires once). */
export interface FakeFault {
  readonly api: string;
  readonly status: number;
  readonly errorType?: string;
}
export interface RecordedRequest {
  readonly api: string;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly status: number;
}

interface SecretVersion {
  readonly token: string;
  readonly value: string;
}

export class FakeAws {
  readonly profiles = new Map<string, FakeProfile>();
  readonly hosted = new Map<string, FakeContent>();
  readonly deployments: FakeDeployment[] = [];
  /** What the data plane currently serves per `app/env/profile`. */
  readonly effective = new Map<string, FakeContent>();
  readonly secrets = new Map<string, { versions: SecretVersion[]; current?: string }>();
  readonly faults: FakeFault[] = [];
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private sessions = 0;

  /** Base URL once {@link start} resolved, e.g. `http://127.0.0.1:41234`. */
  url = '';

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
      AWS_ENDPOINT_URL_APPCONFIG: this.url,
      AWS_ENDPOINT_URL_APPCONFIGDATA: this.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: this.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  /** The secret's AWSCURRENT value. */
  currentValue(secretId: string): string | undefined {
    const secret = this.secrets.get(secretId);
    return secret?.versions.find((v) => v.token === secret.current)?.value;
  }

  private serve(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://local');
    const target = req.headers['x-amz-target'];
    const api = typeof target === 'string' ? target.replace(/^secretsmanager\./, '') : routeName(req.method ?? 'GET', url.pathname);
    const send = (status: number, payload: string | Uint8Array, headers: Record<string, string> = {}) => {
      this.requests.push({ api, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, status });
      res.writeHead(status, { 'x-amzn-requestid': `req-${this.requests.length}`, ...headers });
      res.end(payload);
    };
    const json = (status: number, value: unknown, contentType = 'application/json') => send(status, JSON.stringify(value), { 'content-type': contentType });
    // Secrets Manager (awsJson1_1) errors carry their type in `__type`.
    const error = (status: number, type: string, message: string) => json(status, { __type: type, message }, 'application/x-amz-json-1.1');

    const faultIndex = this.faults.findIndex((f) => f.api === api);
    if (faultIndex >= 0) {
      const [fault] = this.faults.splice(faultIndex, 1);
      if (fault!.errorType) {
        if (target) return json(fault!.status, { __type: fault!.errorType, message: 'injected fault' }, 'application/x-amz-json-1.1');
        return send(fault!.status, JSON.stringify({ Message: 'injected fault' }), { 'content-type': 'application/json', 'x-amzn-errortype': fault!.errorType });
      }
      return send(fault!.status, '');
    }

    const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    switch (api) {
      case 'GetConfigurationProfile': {
        const profile = this.profiles.get(`${p[1]}/${p[3]}`);
        if (!profile) return notFound(send, 'configuration profile');
        return json(200, { ApplicationId: p[1], Id: p[3], Name: p[3], LocationUri: profile.locationUri, Type: profile.type ?? 'AWS.Freeform' });
      }
      case 'GetHostedConfigurationVersion': {
        const version = this.hosted.get(`${p[1]}/${p[3]}/${p[5]}`);
        if (!version) return notFound(send, 'hosted configuration version');
        return send(200, typeof version.content === 'string' ? Buffer.from(version.content) : version.content, {
          'content-type': version.contentType,
          'application-id': p[1]!,
          'configuration-profile-id': p[3]!,
          'version-number': p[5]!,
        });
      }
      case 'ListDeployments': {
        const items = this.deployments
          .filter((d) => d.environmentId === p[3])
          .sort((a, b) => b.deploymentNumber - a.deploymentNumber)
          .map((d) => ({ DeploymentNumber: d.deploymentNumber, ConfigurationVersion: d.configurationVersion, State: d.state }));
        // Pages of two, and no ConfigurationProfileId in the summaries (older responses): exercises both fallbacks.
        const start = Number(url.searchParams.get('next_token') ?? '0');
        const next = start + 2 < items.length ? String(start + 2) : undefined;
        return json(200, { Items: items.slice(start, start + 2), ...(next ? { NextToken: next } : {}) });
      }
      case 'GetDeployment': {
        const d = this.deployments.find((x) => x.environmentId === p[3] && x.deploymentNumber === Number(p[5]));
        if (!d) return notFound(send, 'deployment');
        return json(200, {
          ApplicationId: p[1],
          EnvironmentId: d.environmentId,
          DeploymentNumber: d.deploymentNumber,
          ConfigurationProfileId: d.configurationProfileId,
          ConfigurationVersion: d.configurationVersion,
          State: d.state,
        });
      }
      case 'StartConfigurationSession': {
        const input = JSON.parse(body) as Record<string, string>;
        this.sessions += 1;
        const token = Buffer.from(JSON.stringify([input.ApplicationIdentifier, input.EnvironmentIdentifier, input.ConfigurationProfileIdentifier, this.sessions])).toString('base64url');
        return json(201, { InitialConfigurationToken: token });
      }
      case 'GetLatestConfiguration': {
        const token = url.searchParams.get('configuration_token') ?? '';
        const [app, env, profile] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as string[];
        const content = this.effective.get(`${app}/${env}/${profile}`);
        if (!content) return notFound(send, 'configuration');
        return send(200, typeof content.content === 'string' ? Buffer.from(content.content) : content.content, {
          'content-type': content.contentType,
          'next-poll-configuration-token': `${token}.next`,
          'next-poll-interval-in-seconds': '60',
          'version-label': 'v-effective',
        });
      }
      case 'GetSecretValue': {
        const input = JSON.parse(body) as { SecretId: string };
        const secret = this.secrets.get(input.SecretId);
        if (!secret) return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        const value = this.currentValue(input.SecretId);
        if (value === undefined) return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
        return json(200, { ARN: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${input.SecretId}-AbCdEf`, Name: input.SecretId, SecretString: value, VersionId: secret.current, VersionStages: ['AWSCURRENT'] }, 'application/x-amz-json-1.1');
      }
      case 'PutSecretValue': {
        const input = JSON.parse(body) as { SecretId: string; SecretString: string; ClientRequestToken: string };
        const secret = this.secrets.get(input.SecretId);
        if (!secret) return error(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        const existing = secret.versions.find((v) => v.token === input.ClientRequestToken);
        if (existing && existing.value !== input.SecretString) {
          return error(400, 'ResourceExistsException', 'You can’t modify an existing version, you can only create a new version.');
        }
        if (!existing) {
          secret.versions.push({ token: input.ClientRequestToken, value: input.SecretString });
          secret.current = input.ClientRequestToken;
        }
        return json(200, { ARN: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${input.SecretId}-AbCdEf`, Name: input.SecretId, VersionId: input.ClientRequestToken, VersionStages: ['AWSCURRENT'] }, 'application/x-amz-json-1.1');
      }
      default:
        return send(404, JSON.stringify({ Message: `fake-aws: no route for ${req.method} ${url.pathname}` }), { 'content-type': 'application/json' });
    }
  }
}

function notFound(send: (status: number, payload: string, headers?: Record<string, string>) => void, what: string): void {
  send(404, JSON.stringify({ Message: `${what} not found` }), { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
}

function routeName(method: string, pathname: string): string {
  const routes: [string, RegExp, string][] = [
    ['GET', /^\/applications\/[^/]+\/configurationprofiles\/[^/]+\/hostedconfigurationversions\/[^/]+$/, 'GetHostedConfigurationVersion'],
    ['GET', /^\/applications\/[^/]+\/configurationprofiles\/[^/]+$/, 'GetConfigurationProfile'],
    ['GET', /^\/applications\/[^/]+\/environments\/[^/]+\/deployments$/, 'ListDeployments'],
    ['GET', /^\/applications\/[^/]+\/environments\/[^/]+\/deployments\/[^/]+$/, 'GetDeployment'],
    ['POST', /^\/configurationsessions$/, 'StartConfigurationSession'],
    ['GET', /^\/configuration$/, 'GetLatestConfiguration'],
  ];
  return routes.find(([m, re]) => m === method && re.test(pathname))?.[2] ?? `${method} ${pathname}`;
}
