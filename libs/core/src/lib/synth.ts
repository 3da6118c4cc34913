import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterConfig, Fleet, WorkspaceInputs } from '@flotilla/config';
import type { Finding, RenderedObject } from '@flotilla/model';
import { applyPlan, compareWithTree, driftCount, type TreeDrift } from './apply-plan';
import { recoverLocked } from './recover';
import { acquireSynthLock } from './synth-lock';
import { CommittedObjects, type ContextQuery } from './committed-context';
import { planRender, type RenderPlan, type SynthScope } from './render-plan';
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
  /** Told about waiting for the lock, a stale lock removed, an interrupted synth rolled back. @default - ignored */
  readonly notice?: (message: string) => void;
}

export interface SynthResult {
  readonly drift: TreeDrift;
  /** Warnings and infos from the checks (errors throw). */
  readonly findings: readonly Finding[];
  readonly plan: RenderPlan;
  readonly objectCount: number;
}

/**
 * Renders, checks, then (unless `check`) writes atomically.
 *
 * @throws SynthError when a chart fails, a check reports an error, or (in check mode never) writing fails
 */
export function synth(options: SynthOptions): SynthResult {
  const scope = options.scope ?? {};
  const plan = planRender(options.fleet, scope, { projectRoots: options.projectRoots, fleetSource: options.fleetSource, workspace: options.workspace });
  const findings: Finding[] = [];
  for (const render of plan.clusters) {
    let all: RenderedObject[] | undefined;
    const committed = new CommittedObjects(options.repoRoot, render.unrenderedUnitFolders, render.cluster.name);
    const input: CheckInput = {
      cluster: render.cluster,
      rendered: render.objects,
      all: () => (all ??= [...render.objects, ...committed.all()]),
      context: (query) => (render.unrenderedUnitFolders.length === 0 ? render.objects : [...render.objects, ...committed.select(query())]),
    };
    for (const check of options.checks ?? []) findings.push(...check(input));
  }
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length > 0) {
    throw new SynthError('synth/checks-failed', `synth found ${errors.length} error(s); nothing was written`, errors);
  }
  const staleClusters = scope.projects || scope.clusters ? [] : orphanClusterFolders(options.repoRoot, plan);
  // One writer: compare and write under the lock (--check too, so it never reads a tree mid-write).
  const command = options.command ?? `flotilla synth${options.check ? ' --check' : ''}`;
  const lock = acquireSynthLock(options.repoRoot, command, { notice: options.notice });
  let drift: TreeDrift;
  try {
    const recovered = recoverLocked(options.repoRoot);
    if (recovered) options.notice?.(recovered);
    drift = compareWithTree(options.repoRoot, plan, staleClusters);
    if (!options.check && driftCount(drift) > 0) applyPlan(options.repoRoot, plan, drift, { command });
  } finally {
    lock.release();
  }
  const objectCount = plan.clusters.reduce((sum, render) => sum + render.objects.length, 0);
  return { drift, findings: findings.filter((finding) => finding.severity !== 'error'), plan, objectCount };
}

/** Folders under clusters/ that hold owned files but belong to no cluster of the fleet any more. */
function orphanClusterFolders(repoRoot: string, plan: RenderPlan): string[] {
  const root = join(repoRoot, 'clusters');
  if (!existsSync(root)) return [];
  const current = new Set(plan.clusters.map((render) => render.folder));
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !current.has(`clusters/${entry.name}`))
    .map((entry) => `clusters/${entry.name}`);
}

export { SynthError };
