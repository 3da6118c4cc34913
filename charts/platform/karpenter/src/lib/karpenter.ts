import type { Unit } from '@flotilla/config';
import { type KarpenterControllerProps, karpenterController } from './controller-unit';
import { type KarpenterNodePoolsProps, karpenterNodePools } from './node-pools-unit';

export interface KarpenterProps {
  /** @default - two replicas, interruption handling on, node role created */
  readonly controller?: KarpenterControllerProps;
  /** EC2NodeClasses and NodePools; `nodeRoleName` defaults to the controller's. */
  readonly nodePools: KarpenterNodePoolsProps;
}

/** Every Karpenter unit: `karpenter.identity`, `karpenter` (infra-controllers) and `karpenter.nodepools` (infra-configs). */
export function karpenter(props: KarpenterProps): Unit[] {
  const controller = props.controller ?? {};
  const nodePools = { nodeRoleName: controller.nodeRoleName, ...props.nodePools };
  // The controller sees the pools, so spot-to-spot consolidation defaults on when one allows spot.
  return [...karpenterController({ nodePools, ...controller }), karpenterNodePools(nodePools)];
}
