import { CAPACITY_TYPE_LABEL, DEFAULT_CAPACITY_TYPES, WELL_KNOWN_INSTANCE_TYPE_LABELS, allowsLabelValue, type InstanceTypeInfo } from '@flotilla/instance-types';
import type { Pool, Taint } from './node-pools';
import type { LabelRequirement, NodeSelector, Toleration } from './pod-templates';

/** Where a pod (or a DaemonSet's pods) may run: the scheduling fields of its PodSpec. */
export interface Placement {
  /** @default - none */
  readonly tolerations?: readonly Toleration[];
  /** @default - none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`. @default - none */
  readonly requiredNodeAffinity?: NodeSelector;
}

/** Kubernetes `Toleration.ToleratesTaint`. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== 'Exists') return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** The first NoSchedule/NoExecute taint of the pool that no toleration matches. */
export function untoleratedTaint(tolerations: readonly Toleration[] | undefined, taints: readonly Taint[]): Taint | undefined {
  return taints.find((taint) => taint.effect !== 'PreferNoSchedule' && !(tolerations ?? []).some((toleration) => tolerates(toleration, taint)));
}

export function describeTaint(taint: Taint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}

/** Labels every node carries whose values cannot be known offline (zone, region, hostname). */
const UNKNOWN_VALUE_LABELS = new Set(['topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'topology.k8s.aws/zone-id', 'kubernetes.io/hostname', 'failure-domain.beta.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/region']);
const TYPE_LABELS = new Set(WELL_KNOWN_INSTANCE_TYPE_LABELS);
const INTEGER = /^-?\d+$/;

/** Kubernetes label-selector semantics for one requirement against a node label that is `value` (undefined: absent). */
function matchesValue(requirement: LabelRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt':
      if (value === undefined || !INTEGER.test(value) || values.length !== 1 || !INTEGER.test(values[0])) return false;
      return requirement.operator === 'Gt' ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/**
 * Whether a node of `type` launched from `pool` can carry labels that satisfy `requirement`
 * (Karpenter's `Requirements.Compatible` with undefined well-known labels allowed):
 * pool template labels and `karpenter.sh/nodepool` are fixed; the capacity type is any the pool
 * allows and the type offers; instance-type labels are the type's (absent if it has none); keys
 * the pool's requirements constrain take any value they allow; zone, region and hostname take any
 * value; any other label is absent (Karpenter does not invent custom labels).
 */
export function canSatisfy(requirement: LabelRequirement, pool: Pool, type: InstanceTypeInfo): boolean {
  const { key } = requirement;
  if (key in pool.labels) return matchesValue(requirement, pool.labels[key]);
  if (key === 'karpenter.k8s.aws/ec2nodeclass') return matchesValue(requirement, pool.nodeClassName);
  if (key === CAPACITY_TYPE_LABEL) {
    const offered = (type.capacityTypes ?? DEFAULT_CAPACITY_TYPES).filter((ct) => allowsLabelValue(pool.requirements, key, ct));
    return offered.some((ct) => matchesValue(requirement, ct));
  }
  if (key in type.labels || TYPE_LABELS.has(key)) return matchesValue(requirement, type.labels[key]);
  const poolRequirements = pool.requirements.filter((r) => r.key === key);
  if (poolRequirements.length > 0) return poolAllows(requirement, poolRequirements);
  if (UNKNOWN_VALUE_LABELS.has(key)) return requirement.operator !== 'DoesNotExist';
  return matchesValue(requirement, undefined);
}

/** A pod requirement on a key the pool's requirements constrain (e.g. a zone list or a custom label). */
function poolAllows(requirement: LabelRequirement, poolRequirements: readonly { operator: string; values?: readonly string[] }[]): boolean {
  const finite = poolRequirements.filter((r) => r.operator === 'In');
  const absentOnly = poolRequirements.some((r) => r.operator === 'DoesNotExist');
  if (absentOnly) return matchesValue(requirement, undefined);
  if (finite.length > 0) {
    // The values every In requirement allows and no NotIn excludes.
    const candidates = finite[0].values!.filter(
      (value) => finite.every((r) => r.values!.includes(value)) && poolRequirements.every((r) => r.operator !== 'NotIn' || !r.values?.includes(value)),
    );
    return candidates.some((value) => matchesValue(requirement, value));
  }
  // NotIn/Exists/Gt/Lt on the pool: an unbounded set of values, possibly absent.
  if (requirement.operator === 'In') return (requirement.values ?? []).some((value) => poolRequirements.every((r) => matchesValue(r as LabelRequirement, value)));
  return true;
}

/** The nodeSelector as requirements (`key In [value]`). */
export function nodeSelectorRequirements(nodeSelector: Readonly<Record<string, string>> | undefined): LabelRequirement[] {
  return Object.entries(nodeSelector ?? {}).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
}

/** Required node affinity: terms are ORed, expressions ANDed; `matchFields` (node name) never narrows a new node. */
export function affinityAllows(affinity: NodeSelector | undefined, pool: Pool, type: InstanceTypeInfo): boolean {
  const terms = affinity?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return true;
  return terms.some((term) => (term.matchExpressions ?? []).every((requirement) => canSatisfy(requirement, pool, type)));
}

/** Whether pods with this placement can run on a node of `type` from `pool` (taints, nodeSelector, affinity). */
export function placementAllows(placement: Placement, pool: Pool, type: InstanceTypeInfo): boolean {
  return (
    untoleratedTaint(placement.tolerations, pool.taints) === undefined &&
    nodeSelectorRequirements(placement.nodeSelector).every((requirement) => canSatisfy(requirement, pool, type)) &&
    affinityAllows(placement.requiredNodeAffinity, pool, type)
  );
}

export function describeLabelRequirement(requirement: LabelRequirement): string {
  const values = requirement.values ?? [];
  if (requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist') return `${requirement.key} ${requirement.operator}`;
  if (requirement.operator === 'Gt' || requirement.operator === 'Lt') return `${requirement.key} ${requirement.operator} ${values.join(', ')}`;
  return `${requirement.key} ${requirement.operator} [${values.join(', ')}]`;
}
