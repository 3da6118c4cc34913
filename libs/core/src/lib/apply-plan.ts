import { dirname } from 'node:path';
import type { RenderPlan } from './render-plan';
import { ownedFileProblem, TreeScan, type TreeProblem } from './tree-scan';

export type { TreeProblem } from './tree-scan';

/** How the working tree differs from a render. */
export interface TreeDrift {
  /** Files the render would create. */
  readonly missing: string[];
  /** Files whose content differs. */
  readonly changed: string[];
  /** Owned files the render no longer produces. */
  readonly stale: string[];
  /** Paths synth refuses to write: symlinks, a folder where a file goes, a file where a folder goes. */
  readonly conflicts: TreeProblem[];
  /** Files with synth's header that are damaged: reported, never replaced or deleted. */
  readonly malformed: TreeProblem[];
}

export function driftCount(drift: TreeDrift): number {
  return drift.missing.length + drift.changed.length + drift.stale.length + drift.conflicts.length + drift.malformed.length;
}

/** What compareWithTree learnt that the writer needs: old contents (for the journal) and folders to create. */
export interface Comparison {
  readonly before: Map<string, string>;
  readonly newFolders: string[];
}
const comparisons = new WeakMap<TreeDrift, Comparison>();

/** The comparison behind a drift returned by {@link compareWithTree}. */
export function comparisonOf(drift: TreeDrift): Comparison {
  const comparison = comparisons.get(drift);
  if (!comparison) throw new Error('writing needs the drift returned by compareWithTree for this plan');
  return comparison;
}

/**
 * Compares the plan with the tree without writing anything: each managed folder is listed once and
 * each existing file read once; the content read is what the journal keeps if the file changes.
 */
export function compareWithTree(repoRoot: string, plan: RenderPlan, extraManaged: readonly string[] = []): TreeDrift {
  const scan = new TreeScan(repoRoot, [...plan.managedFolders, ...extraManaged], new Set(plan.excludedFolders));
  const drift: TreeDrift = { missing: [], changed: [], stale: [], conflicts: [], malformed: [] };
  const before = new Map<string, string>();
  const newFolders = new Set<string>();
  for (const [file, content] of [...plan.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const kind = scan.kindOf(file);
    if (kind === undefined) {
      const folders = scan.listings.has(dirname(file)) ? [] : scan.missingFolders(dirname(file), file);
      if (folders) {
        drift.missing.push(file);
        for (const folder of folders) newFolders.add(folder);
      }
    } else if (kind === 'file') {
      const current = scan.read(file);
      if (current === content) continue;
      const problem = ownedFileProblem(file, current);
      if (problem) drift.malformed.push({ file, problem });
      else {
        drift.changed.push(file);
        before.set(file, current);
      }
    } else {
      const what = kind === 'folder' ? 'a folder' : kind === 'symlink' ? 'a symbolic link' : 'not a regular file';
      const fix = kind === 'symlink' ? 'synth never writes through a link (it could lead outside the repository); remove the link' : 'move it away';
      drift.conflicts.push({ file, problem: `${file} is ${what} where synth writes a file; ${fix}` });
    }
  }
  const seen = new Set(drift.conflicts.map((entry) => entry.problem));
  for (const entry of scan.problems) if (!seen.has(entry.problem) && seen.add(entry.problem)) drift.conflicts.push(entry);
  for (const [folder, entries] of scan.listings) {
    for (const [name, kind] of entries) {
      const file = `${folder}/${name}`;
      if (kind !== 'file' || plan.files.has(file) || !scan.startsWithMarker(file)) continue;
      const current = scan.read(file);
      const problem = ownedFileProblem(file, current);
      if (problem) drift.malformed.push({ file, problem });
      else {
        drift.stale.push(file);
        before.set(file, current);
      }
    }
  }
  drift.stale.sort();
  drift.malformed.sort((a, b) => (a.file < b.file ? -1 : 1));
  comparisons.set(drift, { before, newFolders: [...newFolders].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1)) });
  return drift;
}

/** Lines for a refusal or for --check: one per conflict or malformed file, with the fix. */
export function describeProblems(drift: TreeDrift): string[] {
  return [
    ...drift.conflicts.map((entry) => `conflict   ${entry.problem}`),
    ...drift.malformed.map(
      (entry) =>
        `malformed  ${entry.file}: ${entry.problem}; synth leaves it alone: restore it ('git checkout -- ${entry.file}') or delete it, then run 'npm run synth'`,
    ),
  ];
}
