import type Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** Kubernetes resource quantity (`resource.Quantity`): `500m`, `1.5Gi`, `2e3`, `+1`. */
export const QUANTITY_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:\d+(?:\.\d*)?|\.\d+))?$/;

/** The pattern upstream CRDs spell for quantities; such nodes get the `quantity` format instead. */
const CRD_QUANTITY_PATTERNS = new Set([
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
]);

export function isQuantityPattern(pattern: unknown): boolean {
  return typeof pattern === 'string' && CRD_QUANTITY_PATTERNS.has(pattern);
}

export function isQuantity(value: string): boolean {
  return QUANTITY_PATTERN.test(value);
}

const UNIT_FIXES: Record<string, string> = {
  kb: 'Ki', kib: 'Ki', k: 'k', mb: 'Mi', mib: 'Mi', gb: 'Gi', gib: 'Gi', tb: 'Ti', tib: 'Ti', pb: 'Pi', pib: 'Pi', eb: 'Ei', eib: 'Ei',
  ki: 'Ki', mi: 'Mi', gi: 'Gi', ti: 'Ti', pi: 'Pi', ei: 'Ei', g: 'G', t: 'T', p: 'P', e: 'E',
  cpu: '', cpus: '', core: '', cores: '', millicores: 'm', millicore: 'm',
};

/** Best guess at the quantity the user meant: `512MB` → `512Mi`, `1 Gi` → `1Gi`, `2 cores` → `2`. */
export function suggestQuantity(value: string): string | undefined {
  const match = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z]*)\s*$/.exec(value);
  if (!match) return undefined;
  const [, number, unit] = match as unknown as [string, string, string];
  const exact = `${number}${unit}`;
  if (isQuantity(exact)) return exact;
  const fixed = UNIT_FIXES[unit.toLowerCase()];
  if (fixed === undefined) return undefined;
  const candidate = `${number}${fixed}`;
  return isQuantity(candidate) ? candidate : undefined;
}

const INT32 = [-2147483648, 2147483647] as const;
const GO_DURATION = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^0$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAC = /^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$|^([0-9A-Fa-f]{2}[:-]){7}([0-9A-Fa-f]{2})$|^([0-9A-Fa-f]{2}[:-]){19}([0-9A-Fa-f]{2})$/;

function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = Number(value.slice(slash + 1));
  if (!/^\d+$/.test(value.slice(slash + 1))) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return ip.split('.').every((part) => Number(part) <= 255) && bits <= 32;
  return ip.includes(':') && bits <= 128;
}

/**
 * Formats the Kubernetes API server checks (OpenAPI formats plus `quantity`). Formats it does not
 * check (`int-or-string`, `password`, …) are dropped from schemas before they reach ajv.
 */
export const KNOWN_FORMATS = new Set([
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'date',
  'date-time',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uri',
  'uuid',
  'quantity',
]);

export function addKubernetesFormats(ajv: Ajv): void {
  addFormats(ajv, ['date', 'date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uuid']);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32[0] && n <= INT32[1] });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('byte', { type: 'string', validate: (s: string) => BASE64.test(s) });
  ajv.addFormat('duration', { type: 'string', validate: (s: string) => GO_DURATION.test(s) });
  ajv.addFormat('cidr', { type: 'string', validate: isCidr });
  ajv.addFormat('mac', { type: 'string', validate: (s: string) => MAC.test(s) });
  ajv.addFormat('quantity', { type: 'string', validate: isQuantity });
}
