import { parseQuantity } from '@flotilla/cel';

/** Resource amounts in base units (cores, bytes, counts), keyed by resource name. */
export type Resources = Record<string, number>;

/** A Kubernetes quantity in base units (`500m` → 0.5, `1Gi` → 1073741824); undefined when it is not one. */
export function quantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const parsed = parseQuantity(value);
  return parsed ? Number(parsed.numerator) / Number(parsed.denominator) : undefined;
}

/** A resource list (`requests`, `allocatable`) in base units; entries that are not quantities are skipped. */
export function resourceList(list: unknown): Resources {
  const out: Resources = {};
  if (!list || typeof list !== 'object') return out;
  for (const [name, value] of Object.entries(list as Record<string, unknown>)) {
    const amount = quantity(value);
    if (amount !== undefined) out[name] = amount;
  }
  return out;
}

export function add(a: Resources, b: Resources): Resources {
  const out = { ...a };
  for (const [name, amount] of Object.entries(b)) out[name] = (out[name] ?? 0) + amount;
  return out;
}

export function max(a: Resources, b: Resources): Resources {
  const out = { ...a };
  for (const [name, amount] of Object.entries(b)) out[name] = Math.max(out[name] ?? 0, amount);
  return out;
}

export function subtract(a: Resources, b: Resources): Resources {
  const out = { ...a };
  for (const [name, amount] of Object.entries(b)) out[name] = (out[name] ?? 0) - amount;
  return out;
}

/** Compares with a little slack: `3.92` cores parsed from `3920m` must equal 3.92 exactly enough. */
const EPSILON = 1e-9;

/** Resources in `requests` that `available` does not cover, with both amounts. */
export function shortfalls(requests: Resources, available: Resources): { resource: string; requested: number; available: number }[] {
  return Object.entries(requests)
    .filter(([name, amount]) => amount > 0 && amount > (available[name] ?? 0) + EPSILON * Math.max(1, amount))
    .map(([name, amount]) => ({ resource: name, requested: amount, available: available[name] ?? 0 }));
}

const GI = 1024 ** 3;
const MI = 1024 ** 2;

/** `3.5` cores → `3500m`, bytes → `1.5Gi`/`40Mi`, counts as they are. */
export function formatAmount(resource: string, amount: number): string {
  if (resource === 'cpu') return Number.isInteger(amount) ? String(amount) : `${Math.round(amount * 1000)}m`;
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-')) {
    if (amount >= GI && Number.isInteger((amount / GI) * 100)) return `${+(amount / GI).toFixed(2)}Gi`;
    return `${+(amount / MI).toFixed(1)}Mi`;
  }
  return String(+amount.toFixed(3));
}

export function formatResources(resources: Resources): string {
  const entries = Object.entries(resources).filter(([, amount]) => amount > 0);
  if (entries.length === 0) return 'nothing';
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, amount]) => `${name} ${formatAmount(name, amount)}`)
    .join(', ');
}
