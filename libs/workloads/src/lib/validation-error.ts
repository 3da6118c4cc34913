/**
 * A props error found while constructing a workload construct.
 *
 * `code` is stable (e.g. `workloads/image-reference`) so tests, docs and policies can cite it; the
 * message names the prop, shows the value, says what is allowed and how to fix it.
 */
export class WorkloadValidationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkloadValidationError';
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Throws unless `value` is a DNS-1123 label (what namespace, Service and most object names need). */
export function assertDnsLabel(prop: string, value: string, maxLength = 63): void {
  if (!DNS_LABEL.test(value) || value.length > maxLength) {
    throw new WorkloadValidationError(
      'workloads/dns-label',
      `'${prop}' ('${value}') must be a DNS label of at most ${maxLength} characters (lowercase letters, digits and '-', starting and ending with a letter or digit)`,
    );
  }
}

/** Throws unless `value` is a whole number in [min, max]. */
export function assertIntegerInRange(prop: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new WorkloadValidationError('workloads/range', `'${prop}' (${value}) must be a whole number from ${min} to ${max}`);
  }
}
