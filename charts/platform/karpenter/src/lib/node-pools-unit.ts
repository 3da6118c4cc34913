import { Size } from 'cdk8s';
import type { Construct } from 'constructs';
import { Duration, type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import { nodeRoleNameOf } from './controller-unit';
import { ConsolidationPolicy, type DisruptionBudget, DisruptionReason, NodeCount } from './disruption';
import { AmiFamily, Ec2NodeClass, InstanceStorePolicy, type NodeVolumeOptions } from './ec2-node-class';
import { modelSyncUserData, type NodeModelSyncOptions } from './model-sync';
import { CapacityType, NodePool, type NodePoolLimits, TaintEffect } from './node-pool';

/** Settings of the general-purpose pool (c/m/r, nitro, no tiny sizes). */
export interface GeneralPoolOptions {
  /** @default [CapacityType.SPOT, CapacityType.ON_DEMAND] */
  readonly capacityTypes?: readonly CapacityType[];
  /** Total CPU and memory the pool may provision. */
  readonly limits: NodePoolLimits;
  /**
   * @default - 10% of the nodes at any time, and no drift replacement during business hours
   * (`BUSINESS_HOURS_NO_DRIFT`)
   */
  readonly budgets?: readonly DisruptionBudget[];
  /** @default Duration.minutes(1) */
  readonly consolidateAfter?: Duration;
  /** @default Duration.hours(720) */
  readonly expireAfter?: Duration | 'Never';
}

/** What advertises `nvidia.com/gpu` on the GPU pool's nodes, so GPU pods can schedule. */
export enum NvidiaDevicePluginSource {
  /**
   * The pool runs the cluster's AMI family (AL2023 by default, whose accelerated AMIs ship the driver
   * but not the plugin); the cluster must also run `nvidiaDevicePlugin()` from
   * `@flotilla/charts/platform/nvidia-device-plugin`. The scheduling check fails GPU pods otherwise.
   */
  HELM_RELEASE = 'helm-release',
  /** The GPU EC2NodeClass uses Bottlerocket, whose NVIDIA variants run the device plugin in the OS. */
  BOTTLEROCKET = 'bottlerocket',
}

/** Settings of the GPU pool (g5/g6, tainted `nvidia.com/gpu:NoSchedule`, RAID0 instance store). */
export interface GpuPoolOptions {
  /** @default NvidiaDevicePluginSource.HELM_RELEASE */
  readonly nvidiaDevicePlugin?: NvidiaDevicePluginSource;
  /**
   * AMI release of the GPU EC2NodeClass, when it differs from the cluster-wide `amiVersion` (with
   * BOTTLEROCKET a Bottlerocket release such as `v1.37.0`).
   *
   * @default - the cluster-wide amiVersion
   */
  readonly amiVersion?: string;
  /** @default [CapacityType.ON_DEMAND] (GPU spot capacity is scarce and interruptions lose long jobs) */
  readonly capacityTypes?: readonly CapacityType[];
  /** @default ['g5', 'g6'] */
  readonly instanceFamilies?: readonly string[];
  /** Total GPUs (and optionally CPU/memory) the pool may provision. */
  readonly limits: NodePoolLimits;
  /** @default - one budget: 1 node at a time, never for drift during business hours */
  readonly budgets?: readonly DisruptionBudget[];
  /** @default Duration.minutes(10) (GPU nodes are slow to start; keep them a little longer) */
  readonly consolidateAfter?: Duration;
  /**
   * Models copied from S3 onto each GPU node's instance store at boot (EC2NodeClass `userData`) and
   * re-synced by a timer; the node role may read that bucket prefix only (the karpenter controller
   * unit adds the statement when it is given these `nodePools`). AL2023 only.
   *
   * @default - no models are synced
   */
  readonly modelSync?: NodeModelSyncOptions;
}

export interface KarpenterNodePoolsProps {
  /**
   * Name of the IAM role the nodes run as.
   *
   * @default - `<eks cluster name>-karpenter-node` (the role the karpenter controller unit creates)
   */
  readonly nodeRoleName?: string;
  /** @default AmiFamily.AL2023 */
  readonly amiFamily?: AmiFamily;
  /** AMI release; pin it in production. @default 'latest' */
  readonly amiVersion?: string;
  /** Tags on every instance and volume (e.g. `CostCenter`, which the account policy requires). @default - none */
  readonly nodeTags?: Record<string, string>;
  /** @default - 50Gi gp3 */
  readonly volume?: NodeVolumeOptions;
  readonly general: GeneralPoolOptions;
  /** @default - no GPU pool */
  readonly gpu?: GpuPoolOptions;
}

/** Drift replacements wait outside 08:00–18:00 UTC on weekdays; other disruptions keep the 10% budget. */
export const BUSINESS_HOURS_NO_DRIFT: DisruptionBudget = {
  nodes: NodeCount.count(0),
  reasons: [DisruptionReason.DRIFTED],
  schedule: '0 8 * * mon-fri',
  duration: Duration.hours(10),
};

export const GENERAL_POOL = {
  name: 'general',
  instanceCategories: ['c', 'm', 'r'],
  hypervisors: ['nitro'],
  excludedInstanceSizes: ['nano', 'micro', 'small', 'medium'],
} as const;

export const GPU_POOL = { name: 'gpu', instanceFamilies: ['g5', 'g6'], taint: 'nvidia.com/gpu' } as const;

/** Renders the EC2NodeClasses and NodePools (without the unit wrapper, for tests and reuse). */
export function renderNodePools(scope: Construct, cluster: ClusterConfig, props: KarpenterNodePoolsProps): { general: NodePool; gpu?: NodePool } {
  const role = nodeRoleNameOf(cluster, props);
  const common = { discoveryTag: cluster.discoveryTag, role, amiFamily: props.amiFamily, amiVersion: props.amiVersion, tags: props.nodeTags, volume: props.volume };
  const defaultClass = new Ec2NodeClass(scope, 'default-class', { name: 'default', ...common });
  const general = new NodePool(scope, 'general', {
    ...GENERAL_POOL,
    nodeClass: defaultClass,
    capacityTypes: props.general.capacityTypes ?? [CapacityType.SPOT, CapacityType.ON_DEMAND],
    consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED,
    consolidateAfter: props.general.consolidateAfter,
    budgets: props.general.budgets ?? [{ nodes: NodeCount.percent(10) }, BUSINESS_HOURS_NO_DRIFT],
    expireAfter: props.general.expireAfter,
    limits: props.general.limits,
  });
  if (!props.gpu) return { general };

  const plugin = props.gpu.nvidiaDevicePlugin ?? NvidiaDevicePluginSource.HELM_RELEASE;
  if (plugin === NvidiaDevicePluginSource.HELM_RELEASE && props.amiFamily === AmiFamily.BOTTLEROCKET) {
    throw new Error(
      'karpenterNodePools gpu.nvidiaDevicePlugin is HELM_RELEASE but amiFamily is BOTTLEROCKET, whose NVIDIA variants run the device plugin already; set gpu.nvidiaDevicePlugin to NvidiaDevicePluginSource.BOTTLEROCKET',
    );
  }
  if (props.gpu.modelSync && plugin === NvidiaDevicePluginSource.BOTTLEROCKET) {
    throw new Error(
      'karpenterNodePools gpu.modelSync needs an AL2023 GPU class (its user data is a nodeadm MIME shell script) but gpu.nvidiaDevicePlugin is BOTTLEROCKET, whose user data is TOML settings; use HELM_RELEASE or drop modelSync',
    );
  }
  const gpuClass = new Ec2NodeClass(scope, 'gpu-class', {
    name: 'gpu',
    ...common,
    ...(plugin === NvidiaDevicePluginSource.BOTTLEROCKET ? { amiFamily: AmiFamily.BOTTLEROCKET } : {}),
    amiVersion: props.gpu.amiVersion ?? props.amiVersion,
    instanceStorePolicy: InstanceStorePolicy.RAID0,
    volume: { size: Size.gibibytes(100), ...props.volume },
    ...(props.gpu.modelSync ? { userData: modelSyncUserData(props.gpu.modelSync) } : {}),
  });
  const gpu = new NodePool(scope, 'gpu', {
    name: GPU_POOL.name,
    nodeClass: gpuClass,
    capacityTypes: props.gpu.capacityTypes ?? [CapacityType.ON_DEMAND],
    instanceFamilies: props.gpu.instanceFamilies ?? GPU_POOL.instanceFamilies,
    taints: [{ key: GPU_POOL.taint, effect: TaintEffect.NO_SCHEDULE }],
    labels: { 'flotilla.dev/accelerator': 'nvidia' },
    consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED,
    consolidateAfter: props.gpu.consolidateAfter ?? Duration.minutes(10),
    budgets: props.gpu.budgets ?? [{ nodes: NodeCount.count(1) }, BUSINESS_HOURS_NO_DRIFT],
    limits: props.gpu.limits,
  });
  return { general, gpu };
}

/** The `karpenter.nodepools` unit (infra-configs): EC2NodeClasses and NodePools, after the controller installed the CRDs. */
export function karpenterNodePools(props: KarpenterNodePoolsProps): Unit {
  return {
    name: 'karpenter.nodepools',
    project: 'karpenter',
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    render(scope, { cluster }) {
      renderNodePools(scope, cluster, props);
    },
  };
}
