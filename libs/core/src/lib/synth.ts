import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { clusterPath, type ClusterConfig, type Fleet, type WorkspaceInputs } from '@flotilla/config';
import type { Finding, RenderedObject } from '@flotilla/model';
import { compareWithTree, describeProblems, type TreeDrift } from './apply-plan';
import { CommittedObjects, type ContextQuery } from './committed-context';
import { recoverLocked } from './recover';
import { acquireSynthLock } from './synth-lock';
import { planCluster, planFleetFiles, scopeClusters, type ClusterRender, type RenderPlan, type SynthScope } from './render-plan';
import { ownsFleetFiles } from './shard';
import { TreeWriter } from './tree-writer';
import { SynthError } from './synth-error';

/** What a check sees: one cluster's freshly rendered objects and, lazily, the rest of its tree. */
export interface CheckInput {
  readonly cluster: ClusterConfig;
  /** Objects rendered by this synth. */
  readonly rendered: readonly RenderedObject[];
  /** Every object of the cluster: the rendered ones plus the committed files of units outside the scope. */
  all(): readonly RenderedObject[];
  /**
   * The rendered objects plus the committed ones of units outside the scope that the query selects:
   * what judging the rendered objects depends on, without reading the rest of the cluster. `query` is
   * called only when part of the cluster is outside the scope.
   */
  context(query: () => ContextQuery): readonly RenderedObject[];
}

/** A check (schemas, CEL rules, references, policies) run on the render before anything is written. */
export type Check = (input: CheckInput) => Finding[];

export interface SynthOptions {
  readonly repoRoot: string;
  readonly fleet: Fleet;
  readonly scope?: SynthScope;
  /** Compare only; write nothing. @default false */
  readonly check?: boolean;
  /** Run before writing; any error finding fails the synth and leaves the tree untouched. @default - none */
  readonly checks?: readonly Check[];
  readonly projectRoots: ReadonlyMap<string, string>;
  /** The fleet's source folder, named in cluster-level headers. @default 'apps/fleet' */
  readonly fleetSource?: string;
  /** Workspace inputs handed to every unit (e.g. the policy library). @default - none */
  readonly workspace?: WorkspaceInputs;
  /** Names this run in the lock and the journal (what another process's message shows). @default 'flotilla synth' */
  readonly command?: string;
  /**
   * Also return every rendered file's content (`flotilla diff` renders the head this way). Memory then
   * grows with the fleet, not the largest cluster. @default false
   */
  readonly keepFiles?: boolean;
  /** Told about waiting for the lock, a stale lock removed, an interrupted synth rolled back. @default - ignored */
  readonly notice?: (message: string) => void;
}

/** What remains of one cluster's render once it is checked and written: counts, not objects. */
export interface ClusterSummary {
  readonly name: string;
  readonly folder: string;
  readonly files: number;
  readonly objects: number;
}

export interface SynthResult {
  readonly drift: TreeDrift;
  /** Warnings and infos from the checks (errors throw). */
  readonly findings: readonly Finding[];
  /** The clusters rendered, in fleet order. */
  readonly clusters: readonly ClusterSummary[];
  /** Files rendered (clusters and fleet-level files such as CODEOWNERS). */
  readonly fileCount: number;
  readonly objectCount: number;
  /** Repo-relative path → content of every rendered file, in render order; only with `keepFiles`. */
  readonly files?: ReadonlyMap<string, string>;
}

/**
 * Renders, checks, then (unless `check`) writes, one cluster at a time: a cluster's objects are
 * dropped once it is written, so memory follows the largest cluster, not the fleet. All or nothing
 * across clusters: every cluster is written through one journal ({@link TreeWriter}), and a later
 * cluster that fails its render or checks rolls the earlier ones back.
 *
 * @throws SynthError when a chart fails, a check reports an error, or (in check mode never) writing fails
 */
export function synth(options: SynthOptions): SynthResult {
  const scope = options.scope ?? {};
  const { repoRoot, fleet } = options;
  const planOptions = { projectRoots: options.projectRoots, fleetSource: options.fleetSource, workspace: options.workspace };
  const clusters = scopeClusters(fleet, scope);
  const renderCluster = (cluster: ClusterConfig) => {
    const plan = planCluster(cluster, scope, planOptions);
    return { plan, clusterFindings: runChecks(options, plan.clusters[0]!) };
  };
  // A small scope (one project's units, or only the scaffolds: what Nx runs as parallel tasks) is
  // rendered and checked before the lock, so parallel tasks render in parallel and only their
  // writes take turns; a large one goes cluster by cluster under the lock, to bound memory.
  const early = scope.projects || scope.scaffoldOnly ? clusters.map(renderCluster) : undefined;
  // One writer: compare and write under the lock (--check too, so it never reads a tree mid-write).
  const command = options.command ?? `flotilla synth${options.check ? ' --check' : ''}`;
  const lock = acquireSynthLock(repoRoot, command, { notice: options.notice });
  const writer = new TreeWriter(repoRoot, command);
  const drift: TreeDrift = { missing: [], changed: [], stale: [], conflicts: [], malformed: [] };
  const findings: Finding[] = [];
  const errors: Finding[] = [];
  const summaries: ClusterSummary[] = [];
  let fileCount = 0;
  const files = options.keepFiles ? new Map<string, string>() : undefined;
  const keep = (plan: RenderPlan) => {
    if (files) for (const [file, content] of plan.files) files.set(file, content);
  };
  try {
    const recovered = recoverLocked(repoRoot);
    if (recovered) options.notice?.(recovered);
    const emit = (plan: RenderPlan, extraManaged: readonly string[] = []) => {
      if (errors.length > 0) return; // nothing will be written: skip the comparison
      const part = compareWithTree(repoRoot, plan, extraManaged);
      const refused = drift.conflicts.length + drift.malformed.length > 0; // an earlier part was refused: write no more
      mergeDrift(drift, part);
      if (!options.check && !refused && part.conflicts.length + part.malformed.length === 0) writer.apply(plan, part);
    };
    for (const [index, cluster] of clusters.entries()) {
      const { plan, clusterFindings } = early?.[index] ?? renderCluster(cluster);
      const render = plan.clusters[0]!;
      findings.push(...clusterFindings.filter((finding) => finding.severity !== 'error'));
      errors.push(...clusterFindings.filter((finding) => finding.severity === 'error'));
      summaries.push({ name: cluster.name, folder: render.folder, files: plan.files.size, objects: render.objects.length });
      fileCount += plan.files.size;
      keep(plan);
      emit(plan);
    }
    const fleetFiles = planFleetFiles(fleet, scope, planOptions);
    fileCount += fleetFiles.files.size;
    keep(fleetFiles);
    const fleetWide = !scope.projects && !scope.clusters && ownsFleetFiles(scope.shard);
    emit(fleetFiles, fleetWide ? orphanClusterFolders(repoRoot, fleet) : []);
    if (errors.length > 0) {
      throw new SynthError('synth/checks-failed', `synth found ${errors.length} error(s); nothing was written`, errors);
    }
    if (!options.check && drift.conflicts.length + drift.malformed.length > 0) {
      throw new SynthError('synth/tree-refused', `synth will not write clusters/; nothing was written:\n${describeProblems(drift).map((line) => `  ${line}`).join('\n')}`);
    }
    writer.commit();
  } catch (error) {
    writer.abort(error);
    throw error;
  } finally {
    lock.release();
  }
  drift.stale.sort();
  const objectCount = summaries.reduce((sum, summary) => sum + summary.objects, 0);
  return { drift, findings, clusters: summaries, fileCount, objectCount, ...(files ? { files } : {}) };
}

function runChecks(options: SynthOptions, render: ClusterRender): Finding[] {
  let all: RenderedObject[] | undefined;
  const committed = new CommittedObjects(options.repoRoot, render.unrenderedUnitFolders, render.cluster.name);
  const input: CheckInput = {
    cluster: render.cluster,
    rendered: render.objects,
    all: () => (all ??= [...render.objects, ...committed.all()]),
    context: (query) => (render.unrenderedUnitFolders.length === 0 ? render.objects : [...render.objects, ...committed.select(query())]),
  };
  return (options.checks ?? []).flatMap((check) => check(input));
}

function mergeDrift(into: TreeDrift, part: TreeDrift): void {
  into.missing.push(...part.missing);
  into.changed.push(...part.changed);
  into.stale.push(...part.stale);
  into.conflicts.push(...part.conflicts);
  into.malformed.push(...part.malformed);
}

/** Folders under clusters/ that belong to no cluster of the fleet any more (their owned files are stale). */
function orphanClusterFolders(repoRoot: string, fleet: Fleet): string[] {
  const root = join(repoRoot, 'clusters');
  if (!existsSync(root)) return [];
  const current = new Set(fleet.clusters.map((cluster) => clusterPath(cluster)));
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !current.has(`clusters/${entry.name}`))
    .map((entry) => `clusters/${entry.name}`)
    .sort();
}

export { SynthError };
