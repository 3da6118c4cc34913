import { describeObject, findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { loadCatalog, type Catalog } from '@flotilla/instance-types';
import { fitPool, PoolNodes, type PodDemand, type Unmet } from './fit';
import { checkHpaMetrics } from './hpa';
import { readNodeDaemons } from './node-daemons';
import { placementAllows } from './node-match';
import { readPools } from './node-pools';
import { containerDefaults, podRequests, podTemplateOf, type PodTemplate } from './pod-templates';
import { formatResources } from './resources';
import { indexVolumes, volumeDrivers } from './volumes';

/** Kinds whose change can make any pod of the cluster unschedulable (a scoped check then judges the whole cluster). */
export const SCHEDULING_CAPACITY_KINDS: readonly string[] = [
  'NodePool',
  'EC2NodeClass',
  'DaemonSet',
  'HelmRelease',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'StorageClass',
  'LimitRange',
];

export interface SchedulingOptions {
  /** @default - the project's catalog (`@flotilla/instance-types`) */
  readonly catalog?: Catalog;
}

/** Where one pod template can go: the first pool (by name) that fits it and an instance type there. */
export interface Placed {
  readonly workload: string;
  readonly pool: string;
  readonly instanceType: string;
}

export interface SchedulingResult {
  readonly findings: Finding[];
  /** Pod templates checked (DaemonSets are checked as node overhead, not placed). */
  readonly podTemplates: number;
  readonly placed: readonly Placed[];
  /** NodePools of the cluster, by name. */
  readonly pools: readonly string[];
}

function demandOf(template: PodTemplate, defaults: ReturnType<typeof containerDefaults>, volumes: ReturnType<typeof indexVolumes>): PodDemand {
  return {
    placement: {
      tolerations: template.spec.tolerations,
      nodeSelector: template.spec.nodeSelector,
      requiredNodeAffinity: template.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    },
    requests: podRequests(template.spec, defaults.get(template.namespace)),
    topologySpread: template.spec.topologySpreadConstraints ?? [],
    volumeDrivers: volumeDrivers(template, volumes),
    path: template.path,
  };
}

/**
 * Proves, offline, that every pod template of one cluster fits a node some Karpenter NodePool can
 * launch: taints, nodeSelector, required node affinity, topology spread, extended resources and
 * their device plugins, the CSI node plugins of its volumes, and requests against allocatable minus
 * the DaemonSets that run on that node. A cluster without NodePools has no capacity model here and
 * is not checked. HPAs that scale accelerator workloads on CPU/memory are warnings.
 */
export function checkScheduling(objects: readonly RenderedObject[], options: SchedulingOptions = {}): SchedulingResult {
  const pools = readPools(objects, options.catalog ?? loadCatalog());
  const templates = objects.map(podTemplateOf).filter((template): template is PodTemplate => template !== undefined);
  const defaults = containerDefaults(objects);
  const findings: Finding[] = [];
  const placed: Placed[] = [];
  if (pools.length === 0) return { findings, podTemplates: 0, placed, pools: [] };

  const daemons = readNodeDaemons(objects, defaults);
  const volumes = indexVolumes(objects);
  const nodes = pools.map((pool) => new PoolNodes(pool, daemons));
  let podTemplates = 0;
  for (const template of templates) {
    const { entry, object } = template;
    if (object.kind === 'DaemonSet') {
      const placement = daemons.find((daemon) => daemon.entry === entry)?.placement;
      const runs = placement && pools.some((pool) => !pool.problem && pool.instanceTypes.some((type) => placementAllows(placement, pool, type)));
      if (!runs) {
        findings.push(
          findingFor(
            { file: entry.file, object, cluster: entry.cluster },
            {
              severity: 'warning',
              code: 'scheduling/daemonset-runs-nowhere',
              path: template.path,
              message: `runs on no node any NodePool (${pools.map((pool) => pool.name).join(', ')}) can launch: its tolerations, nodeSelector or affinity exclude them all`,
              fix: `add tolerations for the pools' taints to ${template.path}.tolerations, or widen its nodeSelector/affinity`,
            },
          ),
        );
      }
      continue;
    }
    podTemplates++;
    const demand = demandOf(template, defaults, volumes);
    // Pools in name order; the first that fits ends the search.
    const unmet: ({ pool: string } & Unmet)[] = [];
    let fit: Placed | undefined;
    for (const poolNodes of nodes) {
      const result = fitPool(demand, poolNodes);
      if (result.ok) {
        fit = { workload: describeObject(object), pool: poolNodes.pool.name, instanceType: result.instanceType };
        break;
      }
      unmet.push({ pool: poolNodes.pool.name, stage: result.stage, reason: result.reason, fix: result.fix });
    }
    if (fit) {
      placed.push(fit);
      continue;
    }
    // The fix of the pool that got furthest is the one most likely meant.
    const closest = [...unmet].sort((a, b) => b.stage - a.stage)[0];
    findings.push(
      findingFor(
        { file: entry.file, object, cluster: entry.cluster },
        {
          severity: 'error',
          code: 'scheduling/unschedulable',
          path: template.path,
          message: `pod (requests ${formatResources(demand.requests)}) fits no node any NodePool can launch; tried ${unmet.map((u) => `pool ${u.pool}: ${u.reason}`).join('; ')}`,
          fix: `pool ${closest.pool}: ${closest.fix}`,
        },
      ),
    );
  }
  findings.push(...checkHpaMetrics(objects, templates, defaults));
  return { findings, podTemplates, placed, pools: pools.map((pool) => pool.name) };
}
