import { VERIFY_UNIT, clusterPath, type ClusterConfig, type Fleet, type Unit, type WorkspaceInputs } from '@flotilla/config';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { CODEOWNERS_FILE, renderCodeOwners } from './codeowners';
import { fileNameFor } from './file-naming';
import { bootstrapSupportObjects, bootstrapSyncObjects, fluxSystemKustomization, kustomizationFile, unitFolder, unitKustomizations } from './flux-layout';
import { headerFor } from './header';
import { renderUnit } from './render-unit';
import { ownsFleetFiles, shardClusters, type Shard } from './shard';
import { SynthError } from './synth-error';
import { emitYaml } from './yaml-emitter';

/** What one synth covers. The full render is `{}`. */
export interface SynthScope {
  /** Only these clusters. @default - every cluster of the fleet */
  readonly clusters?: readonly string[];
  /** Only the units of these Nx projects, and no cluster-level files. @default - every unit */
  readonly projects?: readonly string[];
  /** Only the cluster-level files (flux-system, sync, root kustomization), no unit. @default false */
  readonly scaffoldOnly?: boolean;
  /** Only the clusters of this shard (see {@link assignShards}); shard 1 also does the fleet-level files. @default - not sharded */
  readonly shard?: Shard;
  /** With `projects`, the cluster-level files too (they list the units' Kustomizations). @default false */
  readonly withScaffold?: boolean;
}

/** The files and objects a synth would write for its scope. */
export interface RenderPlan {
  /** Repo-relative path → full file content, header included. */
  readonly files: Map<string, string>;
  /** Per cluster, the objects rendered in this scope (what the checks validate). */
  readonly clusters: readonly ClusterRender[];
  /** Repo-relative folders whose owned files this synth is responsible for (stale ones are removed). */
  readonly managedFolders: readonly string[];
  /** Unit folders inside managed folders that belong to other synth tasks and must be left alone. */
  readonly excludedFolders: readonly string[];
}

export interface ClusterRender {
  readonly cluster: ClusterConfig;
  readonly folder: string;
  readonly objects: RenderedObject[];
  /** Unit folders not rendered in this scope; the checks read them from disk. */
  readonly unrenderedUnitFolders: readonly string[];
}

export interface PlanOptions {
  /** Project name → folder, for headers. */
  readonly projectRoots: ReadonlyMap<string, string>;
  /** Where the fleet config lives, named in cluster-level headers. @default 'apps/fleet' */
  readonly fleetSource?: string;
  /** Workspace inputs handed to every unit. @default - none */
  readonly workspace?: WorkspaceInputs;
}

/** Renders the scope in memory. Throws {@link SynthError}; never touches the disk. */
export function planRender(fleet: Fleet, scope: SynthScope, options: PlanOptions): RenderPlan {
  const plans = [...scopeClusters(fleet, scope).map((cluster) => planCluster(cluster, scope, options)), planFleetFiles(fleet, scope, options)];
  return {
    files: new Map(plans.flatMap((plan) => [...plan.files])),
    clusters: plans.flatMap((plan) => plan.clusters),
    managedFolders: plans.flatMap((plan) => plan.managedFolders),
    excludedFolders: plans.flatMap((plan) => plan.excludedFolders),
  };
}

/** The clusters a scope covers, in fleet order. Throws for a cluster the fleet does not have. */
export function scopeClusters(fleet: Fleet, scope: SynthScope): ClusterConfig[] {
  const unknown = (scope.clusters ?? []).filter((name) => !fleet.clusters.some((cluster) => cluster.name === name));
  if (unknown.length > 0) {
    const known = fleet.clusters.map((cluster) => cluster.name).join(', ');
    throw new SynthError('synth/unknown-cluster', `unknown cluster '${unknown.join("', '")}'; the fleet has: ${known}`);
  }
  const clusters = fleet.clusters.filter((cluster) => !scope.clusters || scope.clusters.includes(cluster.name));
  if (!scope.shard) return clusters;
  const inShard = new Set(shardClusters(fleet, scope.shard));
  return clusters.filter((cluster) => inShard.has(cluster));
}

/** One cluster's part of the scope: what synth renders, checks and writes before it moves to the next cluster. */
export function planCluster(cluster: ClusterConfig, scope: SynthScope, options: PlanOptions): RenderPlan {
  const fleetSource = options.fleetSource ?? 'apps/fleet';
  const files = new Map<string, string>();
  const managedFolders: string[] = [];
  const excludedFolders: string[] = [];
  const renderUnits = !scope.scaffoldOnly;
  const renderScaffold = !scope.projects || scope.withScaffold === true;
  const folder = clusterPath(cluster);
  const inScope = (unit: Unit) => renderUnits && (!scope.projects || scope.projects.includes(unit.project));
  const objects: RenderedObject[] = [];
  if (renderScaffold) {
    managedFolders.push(folder);
    addScaffold(files, objects, cluster, folder, fleetSource);
  }
  const unrendered: string[] = [];
  for (const unit of cluster.units) {
    const unitDir = `${folder}/${unitFolder(unit)}`;
    if (!inScope(unit)) {
      unrendered.push(unitDir);
      if (renderScaffold) excludedFolders.push(unitDir);
      continue;
    }
    if (!renderScaffold) managedFolders.push(unitDir);
    const source = options.projectRoots.get(unit.project);
    if (!source) {
      throw new SynthError(
        'synth/unknown-project',
        `cluster '${cluster.name}', unit '${unit.name}': no project.json names project '${unit.project}'; set the unit's 'project' to its Nx project name`,
      );
    }
    addUnit(files, objects, renderUnit(unit, cluster, options.workspace), unitDir, headerFor(source), cluster.name);
  }
  return { files, clusters: [{ cluster, folder, objects, unrenderedUnitFolders: unrendered }], managedFolders, excludedFolders };
}

/**
 * The fleet-level files (today `.github/CODEOWNERS`, from typed config): only a render of every
 * cluster's scaffold (or shard 1 of one) writes them, since only it stands for every cluster.
 */
export function planFleetFiles(fleet: Fleet, scope: SynthScope, options: PlanOptions): RenderPlan {
  const files = new Map<string, string>();
  if ((scope.projects && !scope.withScaffold) || scope.clusters || !ownsFleetFiles(scope.shard)) return { files, clusters: [], managedFolders: [], excludedFolders: [] };
  // It also removes a CODEOWNERS the fleet no longer asks for.
  const codeowners = renderCodeOwners(fleet, options.projectRoots, options.fleetSource ?? 'apps/fleet');
  if (codeowners) files.set(CODEOWNERS_FILE, codeowners);
  return { files, clusters: [], managedFolders: ['.github'], excludedFolders: [] };
}

function addScaffold(files: Map<string, string>, objects: RenderedObject[], cluster: ClusterConfig, folder: string, source: string): void {
  const header = headerFor(source);
  const sync = bootstrapSyncObjects(cluster);
  files.set(`${folder}/flux-system/gotk-sync.yaml`, header + sync.map(emitYaml).join('---\n'));
  sync.forEach((object, index) => objects.push({ file: `${folder}/flux-system/gotk-sync.yaml`, index, object, cluster: cluster.name }));
  files.set(`${folder}/flux-system/kustomization.yaml`, header + emitYaml(fluxSystemKustomization(cluster)));
  const support = bootstrapSupportObjects(cluster);
  if (support.length > 0) addUnit(files, objects, support, `${folder}/${VERIFY_UNIT}`, header, cluster.name);
  addUnit(files, objects, unitKustomizations(cluster), `${folder}/sync`, header, cluster.name);
  files.set(`${folder}/kustomization.yaml`, header + emitYaml(kustomizationFile(['flux-system', 'sync'])));
}

function addUnit(files: Map<string, string>, objects: RenderedObject[], rendered: readonly KubeObject[], dir: string, header: string, cluster: string): void {
  const names: string[] = [];
  for (const object of rendered) {
    if (!object.metadata?.name) {
      throw new SynthError('synth/unnamed-object', `${dir}: a ${object.kind} has no metadata.name; give it an explicit name`);
    }
    const name = fileNameFor(object);
    const file = `${dir}/${name}`;
    if (files.has(file)) {
      throw new SynthError('synth/duplicate-object', `${file}: two objects render as the same ${object.kind} (same group, namespace and name); rename one of them`);
    }
    files.set(file, header + emitYaml(object));
    objects.push({ file, index: 0, object, cluster });
    names.push(name);
  }
  files.set(`${dir}/kustomization.yaml`, header + emitYaml(kustomizationFile(names)));
}
