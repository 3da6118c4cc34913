import { PublishError } from './publish-error';

/** Where artifacts go: scheme, `host[:port]` and the repository prefix (may be empty). */
export interface RegistryEndpoint {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly prefix: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const HOST = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?|\[::1\])(:\d{1,5})?$/;
const PREFIX = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** Whether `host[:port]` is this machine, the only place plain HTTP is allowed. */
export function isLocalHost(host: string): boolean {
  return LOCAL_HOSTS.has(host.replace(/:\d+$/, ''));
}

/**
 * Parses `[http(s)://]host[:port][/prefix]`. Without a scheme, localhost and 127.0.0.1 use HTTP and
 * everything else HTTPS; `http://` for any other host is refused, because credentials and the
 * artifact would travel in clear text.
 */
export function parseRegistry(value: string, cluster?: string): RegistryEndpoint {
  const match = /^(?:(https?):\/\/)?([^/]+)(?:\/(.*?))?\/*$/.exec(value.trim());
  const host = match?.[2]?.toLowerCase() ?? '';
  const prefix = match?.[3] ?? '';
  if (!match || !HOST.test(host) || (prefix !== '' && !PREFIX.test(prefix))) {
    throw new PublishError(cluster, `registry '${value}' is not '[https://]host[:port]/prefix' (lowercase repository path), e.g. '222222222222.dkr.ecr.eu-north-1.amazonaws.com/flotilla' or '127.0.0.1:5000/flotilla'`);
  }
  const local = isLocalHost(host);
  const scheme = (match[1] as 'http' | 'https' | undefined) ?? (local ? 'http' : 'https');
  if (scheme === 'http' && !local) {
    throw new PublishError(cluster, `registry '${value}': plain HTTP is allowed only for localhost or 127.0.0.1; use https:// (or no scheme) for ${host}`);
  }
  return { scheme, host, prefix };
}

/** `host[:port]/prefix/name` without scheme: what signatures and Flux name. */
export function repositoryReference(endpoint: RegistryEndpoint, name: string): string {
  return [endpoint.host, endpoint.prefix, name].filter((part) => part !== '').join('/');
}
