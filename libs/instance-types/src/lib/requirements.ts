import { type CapacityType, type Catalog, DEFAULT_CAPACITY_TYPES, loadCatalog } from './catalog';

/** Operators a Karpenter v1 NodePool requirement accepts (see the `karpenter.sh_nodepools` CRD). */
export type NodeSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | 'Gte' | 'Lte';

/** One entry of `NodePool.spec.template.spec.requirements`. */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: NodeSelectorOperator;
  /**
   * Values for In/NotIn, one integer for Gt/Lt/Gte/Lte, ignored for Exists/DoesNotExist.
   *
   * @default - no values
   */
  readonly values?: readonly string[];
  /**
   * Minimum number of distinct values of `key` the admitted instance types must span.
   *
   * @default - no minimum
   */
  readonly minValues?: number;
}

export const CAPACITY_TYPE_LABEL = 'karpenter.sh/capacity-type';

/**
 * Labels Karpenter defines on every instance type's requirements (`computeRequirements` in
 * karpenter-provider-aws `pkg/providers/instancetype/types.go`). When a type has no value for one of
 * these, Karpenter records `DoesNotExist` for it, so `In`/`Exists`/`Gt`/`Lt` on it exclude the type.
 * Any label of a catalog entry is treated the same way.
 */
export const WELL_KNOWN_INSTANCE_TYPE_LABELS: readonly string[] = [
  'node.kubernetes.io/instance-type',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'node.kubernetes.io/windows-build',
  'karpenter.k8s.aws/instance-accelerator-count',
  'karpenter.k8s.aws/instance-accelerator-manufacturer',
  'karpenter.k8s.aws/instance-accelerator-name',
  'karpenter.k8s.aws/instance-capability-flex',
  'karpenter.k8s.aws/instance-category',
  'karpenter.k8s.aws/instance-cpu',
  'karpenter.k8s.aws/instance-cpu-manufacturer',
  'karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz',
  'karpenter.k8s.aws/instance-ebs-bandwidth',
  'karpenter.k8s.aws/instance-encryption-in-transit-supported',
  'karpenter.k8s.aws/instance-family',
  'karpenter.k8s.aws/instance-generation',
  'karpenter.k8s.aws/instance-gpu-count',
  'karpenter.k8s.aws/instance-gpu-manufacturer',
  'karpenter.k8s.aws/instance-gpu-memory',
  'karpenter.k8s.aws/instance-gpu-name',
  'karpenter.k8s.aws/instance-hypervisor',
  'karpenter.k8s.aws/instance-local-nvme',
  'karpenter.k8s.aws/instance-memory',
  'karpenter.k8s.aws/instance-network-bandwidth',
  'karpenter.k8s.aws/instance-size',
  // Only set when the EC2NodeClass selects capacity reservations; the catalog models none.
  'karpenter.k8s.aws/capacity-reservation-id',
  'karpenter.k8s.aws/capacity-reservation-type',
];

const OPERATORS: readonly NodeSelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte'];

/**
 * A set of label values as Karpenter's `scheduling.Requirement` models it: a finite set (`In`), the
 * complement of a finite set (`NotIn`, `Exists`), optionally bounded by integer limits (`Gt`, `Lt`).
 * `DoesNotExist` is the empty finite set.
 */
interface ValueSet {
  readonly complement: boolean;
  readonly values: ReadonlySet<string>;
  readonly greaterThan?: number;
  readonly lessThan?: number;
}

const INTEGER = /^-?\d+$/;

function withinBounds(value: string, set: Pick<ValueSet, 'greaterThan' | 'lessThan'>): boolean {
  if (set.greaterThan === undefined && set.lessThan === undefined) return true;
  if (!INTEGER.test(value)) return false;
  const n = Number(value);
  return (set.greaterThan === undefined || n > set.greaterThan) && (set.lessThan === undefined || n < set.lessThan);
}

/** Karpenter's `Requirement.Intersection`. */
function intersect(a: ValueSet, b: ValueSet): ValueSet {
  const complement = a.complement && b.complement;
  const greaterThan = maxDefined(a.greaterThan, b.greaterThan);
  const lessThan = minDefined(a.lessThan, b.lessThan);
  if (greaterThan !== undefined && lessThan !== undefined && greaterThan >= lessThan) {
    return { complement: false, values: new Set() };
  }
  let values: Set<string>;
  if (a.complement && b.complement) values = new Set([...a.values, ...b.values]);
  else if (a.complement) values = new Set([...b.values].filter((v) => !a.values.has(v)));
  else if (b.complement) values = new Set([...a.values].filter((v) => !b.values.has(v)));
  else values = new Set([...a.values].filter((v) => b.values.has(v)));
  for (const value of values) if (!withinBounds(value, { greaterThan, lessThan })) values.delete(value);
  // Bounds only matter for complement sets; a finite set has already been filtered.
  return complement ? { complement, values, greaterThan, lessThan } : { complement, values };
}

function maxDefined(a?: number, b?: number): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
function minDefined(a?: number, b?: number): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

const isEmpty = (set: ValueSet): boolean => !set.complement && set.values.size === 0;

/** Karpenter's `Requirement.Operator()`: the operator that describes a value set. */
function operatorOf(set: ValueSet): 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' {
  if (set.complement) return set.values.size > 0 ? 'NotIn' : 'Exists';
  return set.values.size > 0 ? 'In' : 'DoesNotExist';
}

/** Karpenter's `Requirements.Intersects` for one key: an instance type (existing) against the pool (incoming). */
function compatible(existing: ValueSet, incoming: ValueSet): boolean {
  if (!isEmpty(intersect(existing, incoming))) return true;
  // A label that is absent on both sides matches NotIn/DoesNotExist.
  const notIn = (op: string) => op === 'NotIn' || op === 'DoesNotExist';
  return notIn(operatorOf(incoming)) && notIn(operatorOf(existing));
}

function fail(index: number, requirement: NodeSelectorRequirement, problem: string, fix: string): never {
  throw new Error(`requirements[${index}] (${describeRequirement(requirement)}): ${problem}; ${fix}`);
}

/** Validates one requirement as the NodePool CRD does and turns it into a value set. */
function valueSetOf(requirement: NodeSelectorRequirement, index: number): ValueSet {
  const values = requirement.values ?? [];
  if (typeof requirement.key !== 'string' || requirement.key.length === 0) {
    fail(index, requirement, 'key is empty', 'set key to a label such as "karpenter.k8s.aws/instance-category"');
  }
  if (!OPERATORS.includes(requirement.operator)) {
    fail(index, requirement, `operator "${String(requirement.operator)}" is not supported`, `use one of ${OPERATORS.join(', ')}`);
  }
  if (requirement.minValues !== undefined) {
    if (!Number.isInteger(requirement.minValues) || requirement.minValues < 1 || requirement.minValues > 50) {
      fail(index, requirement, `minValues ${requirement.minValues} is out of range`, 'use an integer from 1 to 50');
    }
    if (requirement.operator === 'In' && values.length < requirement.minValues) {
      fail(index, requirement, `minValues ${requirement.minValues} is more than the ${values.length} values listed`, 'list at least minValues values or lower minValues');
    }
  }
  switch (requirement.operator) {
    case 'In':
      if (values.length === 0) fail(index, requirement, 'operator In has no values', 'list at least one value, or use Exists');
      return { complement: false, values: new Set(values) };
    case 'NotIn':
      return { complement: true, values: new Set(values) };
    case 'Exists':
      return { complement: true, values: new Set() };
    case 'DoesNotExist':
      return { complement: false, values: new Set() };
    default: {
      if (values.length !== 1 || !/^\d+$/.test(values[0])) {
        fail(index, requirement, `operator ${requirement.operator} needs exactly one non-negative integer value, got [${values.join(', ')}]`, 'set values to one integer such as ["4"]');
      }
      const n = Number(values[0]);
      // Label values are integers, so Gte n is Gt n-1 and Lte n is Lt n+1.
      if (requirement.operator === 'Gt') return { complement: true, values: new Set(), greaterThan: n };
      if (requirement.operator === 'Gte') return { complement: true, values: new Set(), greaterThan: n - 1 };
      if (requirement.operator === 'Lt') return { complement: true, values: new Set(), lessThan: n };
      return { complement: true, values: new Set(), lessThan: n + 1 };
    }
  }
}

/** Requirements on one key are intersected, as Karpenter's `Requirements.Add` does. */
function combine(requirements: readonly NodeSelectorRequirement[]): Map<string, ValueSet> {
  const byKey = new Map<string, ValueSet>();
  requirements.forEach((requirement, index) => {
    const set = valueSetOf(requirement, index);
    const existing = byKey.get(requirement.key);
    byKey.set(requirement.key, existing ? intersect(existing, set) : set);
  });
  return byKey;
}

/** `minValues` of one requirement and how many distinct values the admitted types span. */
export interface MinValuesReport {
  readonly key: string;
  readonly minValues: number;
  /** Distinct values of `key` among the admitted instance types. */
  readonly distinctValues: number;
  readonly satisfied: boolean;
}

export interface AdmittedInstanceTypes {
  /** Number of instance types the requirements admit. */
  readonly count: number;
  /** Their names, sorted. */
  readonly names: string[];
  /** Capacity types the requirements allow and at least one admitted type is offered as. */
  readonly capacityTypes: CapacityType[];
  /** `minValues` found in the requirements; not used to filter, reported for the caller. */
  readonly minValues: MinValuesReport[];
  /**
   * Keys that could not narrow the count: custom labels and topology labels (zone, region) that
   * instance types do not define. Karpenter applies them to the node, not to the choice of type.
   */
  readonly unconstrainedKeys: string[];
}

export interface AdmittedInstanceTypesOptions {
  /**
   * Instance types to choose from.
   *
   * @default - the project's catalog, see {@link loadCatalog}
   */
  readonly catalog?: Catalog;
}

/**
 * Instance types a NodePool's requirements admit, with Karpenter v1 semantics: requirements are
 * ANDed (per key they are intersected), a well-known label the type lacks counts as DoesNotExist,
 * custom labels do not restrict types, and `karpenter.sh/capacity-type` restricts offerings: a type
 * is kept when at least one of its capacity types is allowed.
 */
export function admittedInstanceTypes(
  requirements: readonly NodeSelectorRequirement[],
  options: AdmittedInstanceTypesOptions = {},
): AdmittedInstanceTypes {
  const catalog = options.catalog ?? loadCatalog();
  const byKey = combine(requirements);
  const wellKnown = new Set(WELL_KNOWN_INSTANCE_TYPE_LABELS);
  for (const type of catalog.instanceTypes) for (const key of Object.keys(type.labels)) wellKnown.add(key);
  const unconstrainedKeys = [...byKey.keys()].filter((key) => key !== CAPACITY_TYPE_LABEL && !wellKnown.has(key)).sort();
  const constrained = [...byKey].filter(([key]) => key === CAPACITY_TYPE_LABEL || wellKnown.has(key));
  const capacityRequirement = byKey.get(CAPACITY_TYPE_LABEL);

  const admitted = catalog.instanceTypes.filter((type) =>
    constrained.every(([key, incoming]) => {
      if (key === CAPACITY_TYPE_LABEL) {
        return compatible({ complement: false, values: new Set(type.capacityTypes ?? DEFAULT_CAPACITY_TYPES) }, incoming);
      }
      const value = type.labels[key];
      const existing: ValueSet = { complement: false, values: new Set(value === undefined ? [] : [value]) };
      return compatible(existing, incoming);
    }),
  );

  const offered = new Set(admitted.flatMap((type) => type.capacityTypes ?? DEFAULT_CAPACITY_TYPES));
  const capacityTypes = DEFAULT_CAPACITY_TYPES.filter(
    (ct) => offered.has(ct) && (!capacityRequirement || !isEmpty(intersect(capacityRequirement, { complement: false, values: new Set([ct]) }))),
  );

  const minValues = requirements
    .filter((r) => r.minValues !== undefined)
    .map((r): MinValuesReport => {
      const distinct = new Set(
        admitted.flatMap((type) => (r.key === CAPACITY_TYPE_LABEL ? [...(type.capacityTypes ?? DEFAULT_CAPACITY_TYPES)] : type.labels[r.key] === undefined ? [] : [type.labels[r.key]])),
      );
      return { key: r.key, minValues: r.minValues!, distinctValues: distinct.size, satisfied: distinct.size >= r.minValues! };
    });

  return { count: admitted.length, names: admitted.map((type) => type.name), capacityTypes, minValues, unconstrainedKeys };
}

/**
 * Whether the requirements admit a node labelled `key=value` (no requirement on `key` admits any
 * value). E.g. `allowsLabelValue(reqs, 'karpenter.sh/capacity-type', 'spot')`.
 */
export function allowsLabelValue(requirements: readonly NodeSelectorRequirement[], key: string, value: string): boolean {
  const set = combine(requirements).get(key);
  return set === undefined || !isEmpty(intersect(set, { complement: false, values: new Set([value]) }));
}

/** `key Operator [values]`, e.g. `karpenter.k8s.aws/instance-size NotIn [nano, micro]`. */
export function describeRequirement(requirement: NodeSelectorRequirement): string {
  const values = requirement.values ?? [];
  const shown =
    requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist'
      ? ''
      : ['Gt', 'Lt', 'Gte', 'Lte'].includes(requirement.operator)
        ? ` ${values.join(', ')}`
        : ` [${values.join(', ')}]`;
  const min = requirement.minValues !== undefined ? ` (minValues ${requirement.minValues})` : '';
  return `${requirement.key} ${requirement.operator}${shown}${min}`;
}

/** All requirements on one line for error messages, `; `-separated; `(no requirements)` when empty. */
export function describeRequirements(requirements: readonly NodeSelectorRequirement[]): string {
  return requirements.length === 0 ? '(no requirements)' : requirements.map(describeRequirement).join('; ');
}
