import type { InstanceTypeInfo } from '@flotilla/instance-types';
import { nodeAllocatable, type AmiFamilyName } from './allocatable';
import type { NodeDaemon } from './node-daemons';
import { affinityAllows, canSatisfy, describeLabelRequirement, describeTaint, nodeSelectorRequirements, placementAllows, untoleratedTaint, type Placement } from './node-match';
import type { Pool } from './node-pools';
import type { TopologySpreadConstraint } from './pod-templates';
import { add, formatAmount, formatResources, shortfalls, subtract, type Resources } from './resources';
import type { VolumeDriver } from './volumes';

/** A pod to place: what it asks for and where it may go. */
export interface PodDemand {
  readonly placement: Placement;
  readonly requests: Resources;
  readonly topologySpread: readonly TopologySpreadConstraint[];
  readonly volumeDrivers: readonly VolumeDriver[];
  /** Dotted path of the PodSpec, for fix messages. */
  readonly path: string;
}

/** Why a pool cannot take the pod: the first unmet constraint, in the order the check tries them. */
export interface Unmet {
  /** 0 pool unusable, 1 taints, 2 nodeSelector, 3 node affinity, 4 topology spread, 5 extended resources, 6 CSI node plugins, 7 resources. */
  readonly stage: number;
  readonly reason: string;
  readonly fix: string;
}

export type PoolFit = { readonly ok: true; readonly instanceType: string } | ({ readonly ok: false } & Unmet);

/** Resources every node has; anything else is an extended resource that something must advertise. */
const NATIVE_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);
const isNative = (name: string) => NATIVE_RESOURCES.has(name) || name.startsWith('hugepages-');

/** Extended resources an AMI family advertises without a DaemonSet: Bottlerocket's NVIDIA variants run the device plugin. */
export const AMI_ADVERTISED: Readonly<Partial<Record<AmiFamilyName, readonly string[]>>> = { bottlerocket: ['nvidia.com/gpu'] };
/** Advertised by the EKS control plane (VPC resource controller), not by a DaemonSet. */
const CONTROL_PLANE_ADVERTISED = new Set(['vpc.amazonaws.com/pod-eni']);

/** Per pool, lazily: which daemons run on each admitted type and what is left for pods. */
export class PoolNodes {
  private readonly cache = new Map<string, { daemons: NodeDaemon[]; free: Resources; allocatable: Resources }>();
  constructor(
    readonly pool: Pool,
    /** Every node daemon of the cluster. */
    readonly daemons: readonly NodeDaemon[],
  ) {}

  node(type: InstanceTypeInfo): { daemons: NodeDaemon[]; free: Resources; allocatable: Resources } {
    let node = this.cache.get(type.name);
    if (!node) {
      const daemons = this.daemons.filter((daemon) => placementAllows(daemon.placement, this.pool, type));
      const allocatable = nodeAllocatable(type, this.pool.nodeClass!);
      const overhead = daemons.reduce((sum, daemon) => add(sum, daemon.requests), {} as Resources);
      node = { daemons, free: subtract(allocatable, overhead), allocatable };
      this.cache.set(type.name, node);
    }
    return node;
  }
}

/** The admitted types that meet one more constraint. */
function narrow(types: readonly InstanceTypeInfo[], keep: (type: InstanceTypeInfo) => boolean): InstanceTypeInfo[] {
  return types.filter(keep);
}

/** Whether the pod fits a node this pool can launch, or the first constraint no admitted type meets. */
export function fitPool(pod: PodDemand, nodes: PoolNodes): PoolFit {
  const { pool } = nodes;
  if (pool.problem) return { ok: false, stage: 0, reason: pool.problem, fix: `fix NodePool ${pool.name}` };

  const taint = untoleratedTaint(pod.placement.tolerations, pool.taints);
  if (taint) {
    return {
      ok: false,
      stage: 1,
      reason: `taint ${describeTaint(taint)} is not tolerated`,
      fix: `add a toleration {key: ${taint.key}, operator: Exists, effect: ${taint.effect}} to ${pod.path}.tolerations, or target a pool without this taint`,
    };
  }

  let types: InstanceTypeInfo[] = [...pool.instanceTypes];
  for (const requirement of nodeSelectorRequirements(pod.placement.nodeSelector)) {
    types = narrow(types, (type) => canSatisfy(requirement, pool, type));
    if (types.length === 0) {
      const carried = requirement.key in pool.labels ? ` (its nodes carry ${requirement.key}=${pool.labels[requirement.key]})` : '';
      return {
        ok: false,
        stage: 2,
        reason: `nodeSelector ${requirement.key}=${requirement.values![0]} matches none of its nodes${carried}`,
        fix: `set ${pod.path}.nodeSelector to labels the intended pool's nodes carry, or add the label to that NodePool's template`,
      };
    }
  }

  const affinity = pod.placement.requiredNodeAffinity;
  if (affinity && affinity.nodeSelectorTerms.length > 0) {
    const matching = narrow(types, (type) => affinityAllows(affinity, pool, type));
    if (matching.length === 0) {
      const failing = affinity.nodeSelectorTerms
        .map((term) => (term.matchExpressions ?? []).find((requirement) => !types.some((type) => canSatisfy(requirement, pool, type))))
        .map((requirement) => (requirement ? describeLabelRequirement(requirement) : 'the combination of its expressions'));
      return {
        ok: false,
        stage: 3,
        reason: `required node affinity is not satisfiable: ${failing.map((text, i) => `term ${i}: ${text}`).join('; ')}`,
        fix: `change ${pod.path}.affinity.nodeAffinity to match labels this pool's nodes carry (requirements: ${pool.requirements.map((r) => describeLabelRequirement(r)).join('; ') || 'none'}), or widen the NodePool's requirements`,
      };
    }
    types = matching;
  }

  for (const spread of pod.topologySpread) {
    if (spread.whenUnsatisfiable !== 'DoNotSchedule') continue;
    const exists = { key: spread.topologyKey, operator: 'Exists' };
    types = narrow(types, (type) => canSatisfy(exists, pool, type));
    if (types.length === 0) {
      return {
        ok: false,
        stage: 4,
        reason: `topology spread (DoNotSchedule) on ${spread.topologyKey}, a label its nodes do not carry`,
        fix: `use a topologyKey every node carries (topology.kubernetes.io/zone, kubernetes.io/hostname), set whenUnsatisfiable: ScheduleAnyway, or add the label to the NodePool`,
      };
    }
  }

  const amiFamily = pool.nodeClass!.amiFamily;
  for (const resource of Object.keys(pod.requests).filter((name) => !isNative(name) && pod.requests[name] > 0).sort()) {
    const withDevice = narrow(types, (type) => (nodes.node(type).allocatable[resource] ?? 0) > 0);
    if (withDevice.length === 0) {
      return {
        ok: false,
        stage: 5,
        reason: `no admitted instance type has ${resource}`,
        fix: `target a pool whose instance types have ${resource}, or remove the request`,
      };
    }
    const advertisedByNode = AMI_ADVERTISED[amiFamily]?.includes(resource) || CONTROL_PLANE_ADVERTISED.has(resource);
    const advertised = advertisedByNode ? withDevice : narrow(withDevice, (type) => nodes.node(type).daemons.some((daemon) => daemon.advertises.includes(resource)));
    if (advertised.length === 0) {
      return {
        ok: false,
        stage: 5,
        reason: `${resource} is not advertised on its nodes: AMI family ${amiFamily} does not ship a device plugin for it and no device plugin DaemonSet for it runs there${deviceDaemonHint(nodes, withDevice[0], resource)}`,
        fix:
          resource === 'nvidia.com/gpu'
            ? `install the NVIDIA device plugin tolerating the pool's taints and selecting its nodes (nvidiaDevicePlugin() from @flotilla/charts/platform/nvidia-device-plugin), or run the pool on a Bottlerocket EC2NodeClass, whose NVIDIA variants ship it`
            : `install a device plugin DaemonSet for ${resource} that tolerates the pool's taints and selects its nodes`,
      };
    }
    types = advertised;
  }

  for (const { volume, driver, via } of pod.volumeDrivers) {
    const serving = nodes.daemons.filter((daemon) => daemon.csiDrivers.includes(driver));
    if (serving.length === 0) {
      return {
        ok: false,
        stage: 6,
        reason: `volume "${volume}" (${via}) needs CSI driver ${driver}, and no node plugin DaemonSet for it is in the cluster`,
        fix: `install the ${driver} CSI driver's node plugin, or mount the volume through a driver the cluster runs`,
      };
    }
    const running = narrow(types, (type) => serving.every((daemon) => nodes.node(type).daemons.includes(daemon)));
    if (running.length === 0) {
      const missing = serving.find((daemon) => !nodes.node(types[0]).daemons.includes(daemon))!;
      const blocked = untoleratedTaint(missing.placement.tolerations, pool.taints);
      return {
        ok: false,
        stage: 6,
        reason: `volume "${volume}" (${via}) needs CSI driver ${driver}, whose node plugin ${missing.name} does not run on its nodes${blocked ? `: it does not tolerate taint ${describeTaint(blocked)}` : ': its nodeSelector/affinity excludes them'}`,
        fix: blocked ? `${missing.tolerationsHint}: {key: ${blocked.key}, operator: Exists, effect: ${blocked.effect}}` : `widen the node plugin's nodeSelector/affinity to this pool's nodes`,
      };
    }
    types = running;
  }

  // Pools list their types smallest first, so this is the smallest type that fits.
  const fitting = types.find((type) => shortfalls(pod.requests, nodes.node(type).free).length === 0);
  if (fitting) return { ok: true, instanceType: fitting.name };
  return { ok: false, stage: 7, ...resourceShortfall(pod, nodes, types) };
}

function deviceDaemonHint(nodes: PoolNodes, type: InstanceTypeInfo, resource: string): string {
  const plugins = nodes.daemons.filter((daemon) => daemon.advertises.includes(resource));
  if (plugins.length === 0) return '';
  const plugin = plugins[0];
  const taint = untoleratedTaint(plugin.placement.tolerations, nodes.pool.taints);
  const why = taint ? `it does not tolerate taint ${describeTaint(taint)}` : `its nodeSelector/affinity excludes ${type.name} nodes of this pool`;
  return ` (${plugin.name} exists, but ${why})`;
}

/** The message for requests no admitted type can hold, naming the largest candidate. */
function resourceShortfall(pod: PodDemand, nodes: PoolNodes, types: readonly InstanceTypeInfo[]): { reason: string; fix: string } {
  // The candidate short of the least: the type with the most of the first short resource.
  const first = shortfalls(pod.requests, nodes.node(types[0]).free)[0].resource;
  const best = [...types].sort((a, b) => (nodes.node(b).free[first] ?? 0) - (nodes.node(a).free[first] ?? 0))[0];
  const node = nodes.node(best);
  const overhead = subtract(node.allocatable, node.free);
  const short = shortfalls(pod.requests, node.free)
    .map((s) => `${s.resource} ${formatAmount(s.resource, s.requested)} requested, ${formatAmount(s.resource, s.available)} free`)
    .join(', ');
  return {
    reason: `requests (${formatResources(pod.requests)}) exceed what any of its ${types.length} candidate instance type(s) has free; the largest, ${best.name}, allocates ${formatResources(node.allocatable)}, DaemonSets take ${formatResources(overhead)}: ${short}`,
    fix: `lower the requests in ${pod.path}.containers, or widen the NodePool's requirements to larger instance types`,
  };
}
