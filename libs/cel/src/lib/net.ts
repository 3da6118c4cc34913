import { isIPv4, isIPv6 } from 'node:net';
import { Environment, EvaluationError } from '@marcbachmann/cel-js';

/** Kubernetes' URL library (`url()`, `isURL()`, getters) and IP/CIDR library (`ip()`, `cidr()`, …). */

export class Url {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly hostname: string,
    readonly port: string,
    readonly escapedPath: string,
    readonly query: Map<string, string[]>,
  ) {}
}

/** Go's url.Parse as Kubernetes restricts it: an absolute URI or an absolute path. */
export function parseUrl(text: string): Url | undefined {
  if (/[\s\x00-\x1f]/.test(text)) return undefined;
  if (text.startsWith('/')) {
    const [path, query = ''] = text.split('?', 2) as [string, string?];
    return new Url('', '', '', '', path.split('#')[0]!, parseQuery(query));
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text);
  if (!scheme) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(text)?.[1] ?? '';
  const hostPort = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  const portMatch = /:(\d*)$/.exec(hostPort.startsWith('[') ? hostPort.slice(hostPort.indexOf(']') + 1) : hostPort);
  const port = portMatch?.[1] ?? '';
  const host = portMatch ? hostPort.slice(0, hostPort.length - portMatch[0].length) : hostPort;
  const hostname = host.startsWith('[') ? host.slice(1, -1) : host;
  const path = /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/[^/?#]*)?([^?#]*)/.exec(text)?.[1] ?? parsed.pathname;
  return new Url(scheme[1]!, hostPort, hostname, port, path, parseQuery(parsed.search.replace(/^\?/, '')));
}

function parseQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!query) return out;
  for (const [key, value] of new URLSearchParams(query)) out.set(key, [...(out.get(key) ?? []), value]);
  return out;
}

export class IpAddress {
  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
  ) {}

  get bits(): number {
    return this.family === 4 ? 32 : 128;
  }

  toString(): string {
    return formatIp(this.family, this.value);
  }
}

export class Cidr {
  constructor(
    readonly ip: IpAddress,
    readonly prefixLength: number,
  ) {}

  get network(): bigint {
    const host = this.ip.bits - this.prefixLength;
    return (this.ip.value >> BigInt(host)) << BigInt(host);
  }

  contains(address: IpAddress): boolean {
    if (address.family !== this.ip.family) return false;
    const host = BigInt(this.ip.bits - this.prefixLength);
    return address.value >> host === this.ip.value >> host;
  }

  toString(): string {
    return `${this.ip}/${this.prefixLength}`;
  }
}

/** Parses an IP the way Kubernetes' `ip()` does: no zones, no IPv4-mapped IPv6, no leading zeros. */
export function parseIp(text: string): IpAddress | undefined {
  if (isIPv4(text)) {
    const parts = text.split('.');
    if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
    return new IpAddress(4, parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n));
  }
  if (!isIPv6(text) || text.includes('%') || text.includes('.')) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? headParts : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  return new IpAddress(6, groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n));
}

function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 255n).toString()).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt((7 - i) * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (≥ 2) of zero groups
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const length = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]*)$/.test(length) || Number(length) > ip.bits) return undefined;
  return new Cidr(ip, Number(length));
}

function fail(kind: string, text: string): never {
  throw new EvaluationError(`${kind} parse error during conversion from string: ${JSON.stringify(text)} is not a valid ${kind}`);
}

class IpNamespace {}

export function registerNetLibrary(env: Environment): void {
  env.registerType('URL', Url);
  env.registerFunction('url(string): URL', (s: string) => parseUrl(s) ?? fail('URL', s));
  env.registerFunction('isURL(string): bool', (s: string) => parseUrl(s) !== undefined);
  env.registerFunction('URL.getScheme(): string', (u: Url) => u.scheme);
  env.registerFunction('URL.getHost(): string', (u: Url) => u.host);
  env.registerFunction('URL.getHostname(): string', (u: Url) => u.hostname);
  env.registerFunction('URL.getPort(): string', (u: Url) => u.port);
  env.registerFunction('URL.getEscapedPath(): string', (u: Url) => u.escapedPath);
  env.registerFunction('URL.getQuery(): map<string, list<string>>', (u: Url) => u.query);

  env.registerType('IP', IpAddress);
  env.registerType('CIDR', Cidr);
  env.registerType('IpNamespace', IpNamespace);
  env.registerConstant('ip', 'IpNamespace', new IpNamespace());
  env.registerFunction('ip(string): IP', (s: string) => parseIp(s) ?? fail('IP address', s));
  env.registerFunction('isIP(string): bool', (s: string) => parseIp(s) !== undefined);
  env.registerFunction('IpNamespace.isCanonical(string): bool', (_: unknown, s: string) => {
    const ip = parseIp(s) ?? fail('IP address', s);
    return ip.toString() === s;
  });
  env.registerFunction('IP.family(): int', (ip: IpAddress) => BigInt(ip.family));
  env.registerFunction('IP.isUnspecified(): bool', (ip: IpAddress) => ip.value === 0n);
  env.registerFunction('IP.isLoopback(): bool', (ip: IpAddress) => (ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n));
  env.registerFunction('IP.isLinkLocalMulticast(): bool', (ip: IpAddress) => (ip.family === 4 ? ip.value >> 8n === 0xe00000n : ip.value >> 112n === 0xff02n));
  env.registerFunction('IP.isLinkLocalUnicast(): bool', (ip: IpAddress) => (ip.family === 4 ? ip.value >> 16n === 0xa9fen : ip.value >> 118n === 0x3fan));
  env.registerFunction('IP.isGlobalUnicast(): bool', (ip: IpAddress) => {
    if (ip.family === 4) {
      const first = ip.value >> 24n;
      return ip.value !== 0n && ip.value !== 0xffffffffn && first !== 127n && first < 224n && ip.value >> 16n !== 0xa9fen;
    }
    return ip.value !== 0n && ip.value !== 1n && ip.value >> 120n !== 0xffn && ip.value >> 118n !== 0x3fan;
  });
  env.registerFunction('string(IP): string', (ip: IpAddress) => ip.toString());

  env.registerFunction('cidr(string): CIDR', (s: string) => parseCidr(s) ?? fail('CIDR', s));
  env.registerFunction('isCIDR(string): bool', (s: string) => parseCidr(s) !== undefined);
  env.registerFunction('CIDR.containsIP(IP): bool', (c: Cidr, ip: IpAddress) => c.contains(ip));
  env.registerFunction('CIDR.containsIP(string): bool', (c: Cidr, s: string) => c.contains(parseIp(s) ?? fail('IP address', s)));
  const containsCidr = (c: Cidr, other: Cidr) => other.prefixLength >= c.prefixLength && c.contains(other.ip);
  env.registerFunction('CIDR.containsCIDR(CIDR): bool', containsCidr);
  env.registerFunction('CIDR.containsCIDR(string): bool', (c: Cidr, s: string) => containsCidr(c, parseCidr(s) ?? fail('CIDR', s)));
  env.registerFunction('CIDR.ip(): IP', (c: Cidr) => c.ip);
  env.registerFunction('CIDR.prefixLength(): int', (c: Cidr) => BigInt(c.prefixLength));
  env.registerFunction('CIDR.masked(): CIDR', (c: Cidr) => new Cidr(new IpAddress(c.ip.family, c.network), c.prefixLength));
  env.registerFunction('string(CIDR): string', (c: Cidr) => c.toString());
}
