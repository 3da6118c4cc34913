import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { WorkloadValidationError } from './validation-error';

/**
 * A Kubernetes quantity for a byte size, in the largest binary unit that keeps it whole
 * (`Size.gibibytes(2)` → `2Gi`, `Size.mebibytes(1536)` → `1536Mi`).
 */
export function sizeQuantity(size: Size, prop = 'size'): string {
  const mebibytes = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(mebibytes) || mebibytes <= 0) {
    throw new WorkloadValidationError('workloads/quantity', `'${prop}' (${mebibytes}Mi) must be a positive whole number of mebibytes`);
  }
  if (mebibytes % (1024 * 1024) === 0) return `${mebibytes / (1024 * 1024)}Ti`;
  if (mebibytes % 1024 === 0) return `${mebibytes / 1024}Gi`;
  return `${mebibytes}Mi`;
}

/** A Kubernetes quantity for CPU (`Cpu.millis(250)` → `250m`, `Cpu.units(2)` → `2`). */
export function cpuQuantity(cpu: kplus.Cpu): string {
  return String(cpu.amount);
}

/** Mebibytes of a size, for comparisons. */
export function mebibytesOf(size: Size): number {
  return size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
}

/** Millicores of a CPU amount, for comparisons. */
export function millicoresOf(cpu: kplus.Cpu): number {
  const amount = String(cpu.amount);
  return amount.endsWith('m') ? Number(amount.slice(0, -1)) : Number(amount) * 1000;
}
