import { CapacityType } from './node-pool';
import type { KarpenterNodePoolsProps } from './node-pools-unit';

/**
 * Names of the pools of `karpenterNodePools` props that allow spot capacity (with the same defaults
 * `renderNodePools` applies). Every one of them runs the ≥ 15 instance-type diversity check in the
 * NodePool constructor, so spot-to-spot consolidation only runs on pools that pass it.
 */
export function spotPoolNames(pools: KarpenterNodePoolsProps): string[] {
  const names: string[] = [];
  if ((pools.general.capacityTypes ?? [CapacityType.SPOT, CapacityType.ON_DEMAND]).includes(CapacityType.SPOT)) names.push('general');
  if (pools.gpu && (pools.gpu.capacityTypes ?? [CapacityType.ON_DEMAND]).includes(CapacityType.SPOT)) names.push('gpu');
  return names;
}

/**
 * Whether the controller's `settings.featureGates.spotToSpotConsolidation` is on: the explicit
 * setting, else on wherever a pool allows spot (otherwise Karpenter never replaces a spot node by a
 * cheaper spot node).
 */
export function spotToSpotConsolidationEnabled(props: { readonly spotToSpotConsolidation?: boolean; readonly nodePools?: KarpenterNodePoolsProps }): boolean {
  if (props.spotToSpotConsolidation !== undefined) return props.spotToSpotConsolidation;
  return props.nodePools !== undefined && spotPoolNames(props.nodePools).length > 0;
}
