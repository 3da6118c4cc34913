import type { RenderedObject } from '@flotilla/model';
import { admittedInstanceTypes, loadCatalog, type Catalog, type InstanceTypeInfo, type NodeSelectorRequirement } from '@flotilla/instance-types';
import type { AmiFamilyName, NodeClassSettings } from './allocatable';

export interface Taint {
  readonly key: string;
  /** @default '' */
  readonly value?: string;
  readonly effect: string;
}

/** A Karpenter NodePool with what its EC2NodeClass decides, and the instance types it admits. */
export interface Pool {
  readonly name: string;
  readonly entry: RenderedObject;
  readonly requirements: readonly NodeSelectorRequirement[];
  /** `spec.template.metadata.labels` plus `karpenter.sh/nodepool`. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** The EC2NodeClass's name; `nodeClass` is undefined when it is not in the cluster. */
  readonly nodeClassName: string;
  readonly nodeClass?: NodeClassSettings;
  /** Admitted instance types, smallest first (vCPUs, then memory, then name). */
  readonly instanceTypes: readonly InstanceTypeInfo[];
  /** Set when the pool cannot launch anything (missing EC2NodeClass, invalid requirements). */
  readonly problem?: string;
}

const AMI_FAMILIES: readonly AmiFamilyName[] = ['al2023', 'al2', 'bottlerocket', 'windows2019', 'windows2022', 'windows2025'];

/** The AMI family an EC2NodeClass selects: the alias family, else `custom` (amiSelectorTerms by id/tags). */
function amiFamilyOf(spec: Record<string, unknown>): AmiFamilyName {
  const terms = (spec.amiSelectorTerms as { alias?: string }[] | undefined) ?? [];
  const alias = terms.find((term) => term.alias)?.alias;
  const family = alias?.split('@')[0] as AmiFamilyName | undefined;
  if (family && AMI_FAMILIES.includes(family)) return family;
  const declared = (spec.amiFamily as string | undefined)?.toLowerCase() as AmiFamilyName | undefined;
  return declared && AMI_FAMILIES.includes(declared) ? declared : 'custom';
}

function nodeClassSettings(spec: Record<string, unknown>): NodeClassSettings {
  return {
    amiFamily: amiFamilyOf(spec),
    kubelet: spec.kubelet as NodeClassSettings['kubelet'],
    blockDeviceMappings: spec.blockDeviceMappings as NodeClassSettings['blockDeviceMappings'],
    instanceStorePolicy: spec.instanceStorePolicy as string | undefined,
  };
}

const size = (type: InstanceTypeInfo, label: string) => Number(type.labels[`karpenter.k8s.aws/instance-${label}`] ?? 0);
const bySize = (a: InstanceTypeInfo, b: InstanceTypeInfo) => size(a, 'cpu') - size(b, 'cpu') || size(a, 'memory') - size(b, 'memory') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The cluster's Karpenter NodePools (karpenter.sh/v1) with their EC2NodeClasses (karpenter.k8s.aws/v1). */
export function readPools(objects: readonly RenderedObject[], catalog: Catalog = loadCatalog()): Pool[] {
  const nodeClasses = new Map<string, NodeClassSettings>();
  for (const { object } of objects) {
    if (object.kind === 'EC2NodeClass' && object.apiVersion.startsWith('karpenter.k8s.aws/')) {
      nodeClasses.set(object.metadata.name, nodeClassSettings((object.spec ?? {}) as Record<string, unknown>));
    }
  }
  const pools: Pool[] = [];
  for (const entry of objects) {
    const { object } = entry;
    if (object.kind !== 'NodePool' || !object.apiVersion.startsWith('karpenter.sh/')) continue;
    const template = ((object.spec as Record<string, unknown> | undefined)?.template ?? {}) as {
      metadata?: { labels?: Record<string, string> };
      spec?: { requirements?: NodeSelectorRequirement[]; taints?: Taint[]; nodeClassRef?: { name?: string } };
    };
    const requirements = template.spec?.requirements ?? [];
    const nodeClassName = template.spec?.nodeClassRef?.name ?? '';
    const nodeClass = nodeClasses.get(nodeClassName);
    let instanceTypes: InstanceTypeInfo[] = [];
    let problem: string | undefined;
    try {
      const names = new Set(admittedInstanceTypes(requirements, { catalog }).names);
      instanceTypes = catalog.instanceTypes.filter((type) => names.has(type.name)).sort(bySize);
      if (instanceTypes.length === 0) problem = 'its requirements admit no instance type of the catalog';
    } catch (error) {
      problem = `its requirements are invalid: ${(error as Error).message}`;
    }
    if (!nodeClass) problem ??= `its EC2NodeClass "${nodeClassName}" is not in the cluster`;
    pools.push({
      name: object.metadata.name,
      entry,
      requirements,
      labels: { ...(template.metadata?.labels ?? {}), 'karpenter.sh/nodepool': object.metadata.name },
      taints: template.spec?.taints ?? [],
      nodeClassName,
      nodeClass,
      instanceTypes,
      problem,
    });
  }
  return pools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
