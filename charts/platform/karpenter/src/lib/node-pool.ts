import type { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { Duration, goDuration } from '@flotilla/config';
import { admittedInstanceTypes, allowsSpot, checkSpotDiversity, type NodeSelectorRequirement } from '@flotilla/instance-types';
import * as k from '@flotilla/k8s-apis/karpenter';
import { ConsolidationPolicy, type DisruptionBudget, NodeCount, renderBudgets } from './disruption';
import type { Ec2NodeClass } from './ec2-node-class';

export enum CapacityType {
  SPOT = 'spot',
  ON_DEMAND = 'on-demand',
}

export enum Architecture {
  AMD64 = 'amd64',
  ARM64 = 'arm64',
}

export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

export interface Taint {
  readonly key: string;
  /** @default - no value */
  readonly value?: string;
  readonly effect: TaintEffect;
}

/** Upper bounds on what a NodePool may provision in total; Karpenter stops launching at the limit. */
export interface NodePoolLimits {
  /** Total vCPUs. @default - unlimited */
  readonly cpu?: number;
  /** Total memory. @default - unlimited */
  readonly memory?: Size;
  /** Total `nvidia.com/gpu`. @default - unlimited */
  readonly nvidiaGpus?: number;
}

export interface NodePoolProps {
  /** `metadata.name`, also the `karpenter.sh/nodepool` label and tag on its nodes. */
  readonly name: string;
  /** The EC2NodeClass the nodes launch with. */
  readonly nodeClass: Ec2NodeClass;
  /**
   * Purchase options. A pool that allows spot must admit at least `minimumSpotInstanceTypes` types.
   *
   * @default [CapacityType.SPOT, CapacityType.ON_DEMAND] (Karpenter prefers spot, falls back to on-demand)
   */
  readonly capacityTypes?: readonly CapacityType[];
  /** @default [Architecture.AMD64] */
  readonly architectures?: readonly Architecture[];
  /** Instance categories, e.g. `['c', 'm', 'r']`. @default - any category */
  readonly instanceCategories?: readonly string[];
  /** Instance families, e.g. `['g5', 'g6']`. @default - any family */
  readonly instanceFamilies?: readonly string[];
  /** Hypervisors, e.g. `['nitro']`. @default - any hypervisor */
  readonly hypervisors?: readonly string[];
  /** Sizes never launched, e.g. `['nano', 'micro', 'small', 'medium']`. @default - none excluded */
  readonly excludedInstanceSizes?: readonly string[];
  /** Oldest instance generation allowed (e.g. 5 admits m5, m6i, m7i…). @default - any generation */
  readonly minimumInstanceGeneration?: number;
  /** Further requirements, ANDed with the ones above. @default - none */
  readonly requirements?: readonly NodeSelectorRequirement[];
  /** Labels on every node. @default - none */
  readonly labels?: Record<string, string>;
  /** Taints on every node; only pods that tolerate them land there. @default - none */
  readonly taints?: readonly Taint[];
  /** @default ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED */
  readonly consolidationPolicy?: ConsolidationPolicy;
  /** How long a node must be empty or underutilized before Karpenter consolidates it. @default Duration.minutes(1) */
  readonly consolidateAfter?: Duration;
  /** @default - one budget: 10% of the nodes for every reason */
  readonly budgets?: readonly DisruptionBudget[];
  /** Maximum node lifetime before Karpenter replaces it; `'Never'` keeps nodes. @default Duration.hours(720) (30 days) */
  readonly expireAfter?: Duration | 'Never';
  /** @default - unlimited */
  readonly limits?: NodePoolLimits;
  /** Priority among pools that fit a pod; higher wins (0–100). @default - no weight */
  readonly weight?: number;
  /**
   * Instance types a pool that allows spot must admit. Karpenter only replaces a spot node by a
   * cheaper spot node (spot-to-spot consolidation) when at least 15 cheaper types are admitted.
   *
   * @default 15
   */
  readonly minimumSpotInstanceTypes?: number;
}

const LABEL = {
  capacityType: 'karpenter.sh/capacity-type',
  arch: 'kubernetes.io/arch',
  category: 'karpenter.k8s.aws/instance-category',
  family: 'karpenter.k8s.aws/instance-family',
  hypervisor: 'karpenter.k8s.aws/instance-hypervisor',
  size: 'karpenter.k8s.aws/instance-size',
  generation: 'karpenter.k8s.aws/instance-generation',
} as const;

/**
 * A Karpenter `NodePool` (karpenter.sh/v1) from typed instance requirements. The constructor counts
 * the instance types the requirements admit (`@flotilla/instance-types`) and fails when a pool that
 * allows spot admits fewer than `minimumSpotInstanceTypes`.
 */
export class NodePool extends Construct {
  readonly name: string;
  /** The rendered `spec.template.spec.requirements`. */
  readonly requirements: readonly NodeSelectorRequirement[];
  /** How many instance types of the catalog the requirements admit. */
  readonly instanceTypeCount: number;
  readonly allowsSpot: boolean;
  readonly resource: k.NodePool;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    this.name = props.name;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.name)) {
      throw new Error(`NodePool name "${props.name}" is not a DNS label; use lowercase letters, digits and '-'`);
    }
    const capacityTypes = props.capacityTypes ?? [CapacityType.SPOT, CapacityType.ON_DEMAND];
    const architectures = props.architectures ?? [Architecture.AMD64];
    nonEmpty(props.name, 'capacityTypes', capacityTypes, "'spot' and/or 'on-demand'");
    nonEmpty(props.name, 'architectures', architectures, "'amd64' and/or 'arm64'");
    for (const [field, list] of [['instanceCategories', props.instanceCategories], ['instanceFamilies', props.instanceFamilies], ['hypervisors', props.hypervisors]] as const) {
      if (list !== undefined) nonEmpty(props.name, field, list, 'at least one value, or leave the prop out');
    }
    if (props.minimumInstanceGeneration !== undefined && (!Number.isInteger(props.minimumInstanceGeneration) || props.minimumInstanceGeneration < 1)) {
      throw new Error(`NodePool "${props.name}": minimumInstanceGeneration ${props.minimumInstanceGeneration} is not a positive whole number; use e.g. 5`);
    }
    if (props.weight !== undefined && (!Number.isInteger(props.weight) || props.weight < 1 || props.weight > 100)) {
      throw new Error(`NodePool "${props.name}": weight ${props.weight} is out of range; use a whole number from 1 to 100`);
    }

    const requirements: NodeSelectorRequirement[] = [
      { key: LABEL.capacityType, operator: 'In', values: [...new Set(capacityTypes)] },
      { key: LABEL.arch, operator: 'In', values: [...new Set(architectures)] },
      ...(props.instanceCategories ? [{ key: LABEL.category, operator: 'In' as const, values: [...props.instanceCategories] }] : []),
      ...(props.instanceFamilies ? [{ key: LABEL.family, operator: 'In' as const, values: [...props.instanceFamilies] }] : []),
      ...(props.hypervisors ? [{ key: LABEL.hypervisor, operator: 'In' as const, values: [...props.hypervisors] }] : []),
      ...(props.excludedInstanceSizes && props.excludedInstanceSizes.length > 0 ? [{ key: LABEL.size, operator: 'NotIn' as const, values: [...props.excludedInstanceSizes] }] : []),
      ...(props.minimumInstanceGeneration !== undefined ? [{ key: LABEL.generation, operator: 'Gt' as const, values: [String(props.minimumInstanceGeneration - 1)] }] : []),
      ...(props.requirements ?? []),
    ];
    for (const requirement of props.requirements ?? []) {
      if (requirement.key === 'karpenter.sh/nodepool' || requirement.key === 'kubernetes.io/hostname') {
        throw new Error(`NodePool "${props.name}": requirement on ${requirement.key} is not allowed by Karpenter; remove it`);
      }
    }
    this.requirements = requirements;
    // Counting also validates every requirement the way the NodePool CRD does.
    this.instanceTypeCount = admittedInstanceTypes(requirements).count;
    this.allowsSpot = allowsSpot(requirements);
    if (this.instanceTypeCount === 0) {
      throw new Error(`NodePool "${props.name}" admits no instance type of the catalog; widen instanceCategories/instanceFamilies/excludedInstanceSizes`);
    }
    if (this.allowsSpot) {
      const check = checkSpotDiversity(requirements, { pool: props.name, minimum: props.minimumSpotInstanceTypes });
      if (!check.ok) throw new Error(`${check.message}; or set capacityTypes to [CapacityType.ON_DEMAND]`);
    }

    const taints = (props.taints ?? []).map((taint) => ({
      key: taint.key,
      effect: taint.effect as unknown as k.NodePoolSpecTemplateSpecTaintsEffect,
      ...(taint.value !== undefined ? { value: taint.value } : {}),
    }));
    const expireAfter = props.expireAfter ?? Duration.hours(720);
    this.resource = new k.NodePool(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        template: {
          ...(props.labels && Object.keys(props.labels).length > 0 ? { metadata: { labels: { ...props.labels } } } : {}),
          spec: {
            nodeClassRef: props.nodeClass.ref,
            requirements: requirements.map((r) => ({
              key: r.key,
              operator: r.operator as k.NodePoolSpecTemplateSpecRequirementsOperator,
              ...(r.values !== undefined ? { values: [...r.values] } : {}),
              ...(r.minValues !== undefined ? { minValues: r.minValues } : {}),
            })),
            ...(taints.length > 0 ? { taints } : {}),
            expireAfter: expireAfter === 'Never' ? 'Never' : goDuration(expireAfter),
          },
        },
        disruption: {
          consolidationPolicy: (props.consolidationPolicy ?? ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED) as unknown as k.NodePoolSpecDisruptionConsolidationPolicy,
          consolidateAfter: goDuration(props.consolidateAfter ?? Duration.minutes(1)),
          budgets: renderBudgets(props.name, props.budgets ?? [{ nodes: NodeCount.percent(10) }]) as k.NodePoolSpecDisruptionBudgets[],
        },
        ...(props.limits ? { limits: renderLimits(props.name, props.limits) } : {}),
        ...(props.weight !== undefined ? { weight: props.weight } : {}),
      },
    });
  }
}

function nonEmpty(pool: string, field: string, list: readonly unknown[], allowed: string): void {
  if (list.length === 0) throw new Error(`NodePool "${pool}": ${field} is empty; list ${allowed}`);
}

function renderLimits(pool: string, limits: NodePoolLimits): Record<string, k.NodePoolSpecLimits> {
  const out: Record<string, k.NodePoolSpecLimits> = {};
  const whole = (field: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new Error(`NodePool "${pool}": limits.${field} ${value} is not a positive whole number`);
  };
  if (limits.cpu !== undefined) {
    whole('cpu', limits.cpu);
    out.cpu = k.NodePoolSpecLimits.fromString(String(limits.cpu));
  }
  if (limits.memory !== undefined) out.memory = k.NodePoolSpecLimits.fromString(limits.memory.asString());
  if (limits.nvidiaGpus !== undefined) {
    whole('nvidiaGpus', limits.nvidiaGpus);
    out['nvidia.com/gpu'] = k.NodePoolSpecLimits.fromString(String(limits.nvidiaGpus));
  }
  return out;
}
