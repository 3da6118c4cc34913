import { Environment, EvaluationError } from '@marcbachmann/cel-js';

/**
 * Kubernetes resource quantities (`quantity("1.5Gi")`), kept as exact fractions so that
 * comparisons and sums never round.
 */
export class Quantity {
  constructor(
    readonly numerator: bigint,
    readonly denominator: bigint,
    readonly text: string,
  ) {}

  compare(other: Quantity): number {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  plus(other: Quantity, sign: 1n | -1n): Quantity {
    const numerator = this.numerator * other.denominator + sign * other.numerator * this.denominator;
    return reduce(numerator, this.denominator * other.denominator);
  }

  toString(): string {
    return this.text;
  }
}

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x || 1n;
}

function reduce(numerator: bigint, denominator: bigint, text?: string): Quantity {
  const divisor = gcd(numerator, denominator);
  const n = numerator / divisor;
  const d = denominator / divisor;
  return new Quantity(n, d, text ?? formatFraction(n, d));
}

function formatFraction(n: bigint, d: bigint): string {
  if (d === 1n) return n.toString();
  // exact decimal when the denominator is a power of ten, otherwise milli-units rounded up
  let scale = 0;
  let p = 1n;
  while (p < d && scale < 30) {
    p *= 10n;
    scale++;
  }
  if ((n * p) % d === 0n) {
    const scaled = (n * p) / d;
    const sign = scaled < 0n ? '-' : '';
    const digits = (scaled < 0n ? -scaled : scaled).toString().padStart(scale + 1, '0');
    return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
  }
  return `${(n * 1000n) / d}m`;
}

/** Parses a Kubernetes quantity, or returns undefined when `text` is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, number, suffix = ''] = match;
  const [whole, fraction = ''] = number!.replace(/^[+-]/, '').split('.');
  const negative = number!.startsWith('-');
  let numerator = BigInt((whole || '0') + fraction) * (negative ? -1n : 1n);
  let denominator = 10n ** BigInt(fraction.length);
  if (BINARY[suffix]) numerator *= BINARY[suffix]!;
  else {
    const exponent = suffix in DECIMAL ? DECIMAL[suffix]! : Number(suffix.slice(1));
    if (Math.abs(exponent) > 1000) return undefined;
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  return reduce(numerator, denominator, text);
}

function quantityOrFail(text: string): Quantity {
  const parsed = parseQuantity(text);
  if (!parsed) throw new EvaluationError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(text)}`);
  return parsed;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export function registerQuantityLibrary(env: Environment): void {
  env.registerType('Quantity', Quantity);
  env.registerFunction('quantity(string): Quantity', quantityOrFail);
  env.registerFunction('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined);
  env.registerFunction('Quantity.sign(): int', (q: Quantity) => BigInt(q.numerator === 0n ? 0 : q.numerator > 0n ? 1 : -1));
  env.registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compare(b) > 0);
  env.registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compare(b) < 0);
  env.registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => BigInt(a.compare(b)));
  env.registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => a.plus(b, 1n));
  env.registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) => a.plus(new Quantity(b, 1n, b.toString()), 1n));
  env.registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => a.plus(b, -1n));
  env.registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) => a.plus(new Quantity(b, 1n, b.toString()), -1n));
  env.registerFunction('Quantity.isInteger(): bool', (q: Quantity) => q.numerator % q.denominator === 0n && q.numerator / q.denominator <= INT64_MAX && q.numerator / q.denominator >= INT64_MIN);
  env.registerFunction('Quantity.asInteger(): int', (q: Quantity) => {
    if (q.numerator % q.denominator !== 0n) throw new EvaluationError('cannot convert value to integer: it has a fractional part');
    const value = q.numerator / q.denominator;
    if (value > INT64_MAX || value < INT64_MIN) throw new EvaluationError('cannot convert value to integer: it overflows int64');
    return value;
  });
  env.registerFunction('Quantity.asApproximateFloat(): double', (q: Quantity) => Number(q.numerator) / Number(q.denominator));
}
