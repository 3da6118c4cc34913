import type { Catalog } from './catalog';
import { admittedInstanceTypes, allowsLabelValue, CAPACITY_TYPE_LABEL, describeRequirements, type NodeSelectorRequirement } from './requirements';

/** Karpenter only consolidates spot-to-spot when at least this many cheaper instance types remain. */
export const SPOT_TO_SPOT_MINIMUM_INSTANCE_TYPES = 15;

export interface SpotDiversityOptions {
  /**
   * Name of the NodePool, used in the message.
   *
   * @default - the message says "the spot NodePool"
   */
  readonly pool?: string;
  /**
   * Instance types the requirements must admit at least.
   *
   * @default 15 (Karpenter's spot-to-spot consolidation threshold)
   */
  readonly minimum?: number;
  /**
   * Instance types to count from.
   *
   * @default - the project's catalog, see `loadCatalog`
   */
  readonly catalog?: Catalog;
}

export interface SpotDiversityResult {
  readonly ok: boolean;
  /** Instance types the requirements admit. */
  readonly count: number;
  readonly minimum: number;
  /** Why the pool is too narrow and how to widen it; only set when `ok` is false. */
  readonly message?: string;
}

/**
 * Whether a NodePool with these requirements can launch spot capacity. Karpenter v1 has no
 * defaulting webhook, so a pool without a `karpenter.sh/capacity-type` requirement allows spot (and
 * Karpenter prefers spot when it is allowed); set the requirement explicitly to make a pool on-demand.
 */
export function allowsSpot(requirements: readonly NodeSelectorRequirement[]): boolean {
  return allowsLabelValue(requirements, CAPACITY_TYPE_LABEL, 'spot');
}

const WELL_KNOWN_PREFIX = 'karpenter.k8s.aws/';

/** Concrete hints that match the requirements the pool actually has. */
function wideningHints(requirements: readonly NodeSelectorRequirement[]): string[] {
  const hints: string[] = [];
  const on = (key: string) => requirements.filter((r) => r.key === key || r.key === WELL_KNOWN_PREFIX + key);
  if (on('node.kubernetes.io/instance-type').length > 0) {
    hints.push('replace the node.kubernetes.io/instance-type list with instance-category/instance-family requirements');
  }
  if (on('instance-family').some((r) => r.operator === 'In')) {
    hints.push('add more instance families (for example the c, m and r variants of the same generation) or select by instance-category instead');
  } else {
    hints.push('add instance categories (for example c, m and r)');
  }
  if (on('instance-generation').length > 0) hints.push('allow older or newer generations (lower the instance-generation Gt bound)');
  if (on('instance-size').some((r) => r.operator === 'In')) {
    hints.push('allow more instance sizes, or replace the instance-size In list with a NotIn list of sizes to avoid');
  } else if (on('instance-size').length > 0) {
    hints.push('exclude fewer instance sizes');
  }
  if (on('instance-cpu').length > 0 || on('instance-memory').length > 0) hints.push('widen the instance-cpu/instance-memory range');
  if (on('kubernetes.io/arch').length > 0) hints.push('allow both amd64 and arm64 if the workloads have multi-arch images');
  return hints;
}

/**
 * Checks that a spot NodePool admits enough instance types for Karpenter's spot-to-spot
 * consolidation, which needs at least 15 instance types cheaper than the current one; with fewer
 * types, spot nodes are never replaced by cheaper spot nodes.
 */
export function checkSpotDiversity(
  requirements: readonly NodeSelectorRequirement[],
  options: SpotDiversityOptions = {},
): SpotDiversityResult {
  const minimum = options.minimum ?? SPOT_TO_SPOT_MINIMUM_INSTANCE_TYPES;
  if (!Number.isInteger(minimum) || minimum < 1) {
    throw new Error(`minimum ${minimum} is not a positive integer; use a whole number such as ${SPOT_TO_SPOT_MINIMUM_INSTANCE_TYPES}`);
  }
  const { count, names } = admittedInstanceTypes(requirements, { catalog: options.catalog });
  if (count >= minimum) return { ok: true, count, minimum };

  const pool = options.pool ? `spot NodePool "${options.pool}"` : 'the spot NodePool';
  const admitted = count === 0 ? 'no instance types' : `${count} instance type${count === 1 ? '' : 's'} (${names.join(', ')})`;
  const message =
    `${pool} admits ${admitted} but Karpenter needs at least ${minimum} for spot-to-spot consolidation; ` +
    `requirements: ${describeRequirements(requirements)}; ` +
    `to widen them: ${wideningHints(requirements).join('; ')}`;
  return { ok: false, count, minimum, message };
}
