import { mkdirSync, readdirSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { attempt, describeCause, IoFailureError } from './io-failure';
import type { RenderPlan } from './render-plan';
import { SynthError } from './synth-error';
import { ownedFileProblem, TreeScan, type TreeProblem } from './tree-scan';
import { describeRollbackFailures, JOURNAL_FILE, removeJournal, rollBack, writeJournal, writeNoFollow, type Journal } from './write-journal';

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

/** What compareWithTree learnt that applyPlan needs: old contents (for the journal) and folders to create. */
interface Comparison {
  readonly before: Map<string, string>;
  readonly newFolders: string[];
}
const comparisons = new WeakMap<TreeDrift, Comparison>();

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

export interface ApplyOptions {
  /** Recorded in the journal, for the message of whoever rolls it back. @default 'synth' */
  readonly command?: string;
}

/**
 * Writes the plan and removes stale owned files, all or nothing, also if the process is killed:
 *
 * 1. a rollback journal (old content of every file changed or removed, folders to create) is written
 *    and fsync'd under `.flotilla/`;
 * 2. files are written in place (never through a symlink), stale ones removed;
 * 3. removing the journal commits. Any failure rolls back from the journal at once; a killed process
 *    is rolled back by the next flotilla command ({@link recoverInterruptedSynth}).
 *
 * The caller holds the synth lock. Refuses (writing nothing) when the tree has conflicts or malformed owned files.
 */
export function applyPlan(repoRoot: string, plan: RenderPlan, drift: TreeDrift, options: ApplyOptions = {}): void {
  if (drift.conflicts.length > 0 || drift.malformed.length > 0) {
    throw new SynthError('synth/tree-refused', `synth will not write clusters/; nothing was written:\n${describeProblems(drift).map((line) => `  ${line}`).join('\n')}`);
  }
  const comparison = comparisons.get(drift);
  if (!comparison) throw new Error('applyPlan needs the drift returned by compareWithTree for this plan');
  const writes = [...drift.missing, ...drift.changed].sort();
  // Folders are created just before their first file (parents first), so the writes go in path order.
  const pending = new Set(comparison.newFolders);
  const folderOrder: string[] = [];
  const foldersBefore = new Map<string, string[]>();
  for (const file of writes) {
    const folders = ancestorsOf(file).filter((folder) => pending.delete(folder));
    if (folders.length > 0) foldersBefore.set(file, folders);
    folderOrder.push(...folders);
  }
  const journal: Journal = {
    version: 1,
    pid: process.pid,
    command: options.command ?? 'synth',
    started: new Date().toISOString(),
    createdDirs: folderOrder,
    files: [...writes, ...drift.stale].map((path) => ({ path, before: comparison.before.get(path) ?? null })),
  };
  try {
    writeJournal(repoRoot, journal);
  } catch (cause) {
    throw new SynthError('synth/write-failed', `synth could not write its journal ${JOURNAL_FILE}: ${describeCause(cause)}; nothing in clusters/ was changed`);
  }
  const pause = faultHook(comparison.newFolders.length + writes.length + drift.stale.length + 1);
  pause();
  const progress = { files: 0, createdDirs: 0 };
  try {
    for (const file of writes) {
      for (const folder of foldersBefore.get(file) ?? []) {
        attempt(folder, 'create folder', () => mkdirSync(join(repoRoot, folder)));
        progress.createdDirs++; // after: a folder that failed to be created is not there to remove
        pause();
      }
      progress.files++; // before: a failed write may have left part of the file
      attempt(file, 'write', () => writeNoFollow(join(repoRoot, file), plan.files.get(file)!));
      pause();
    }
    for (const file of drift.stale) {
      progress.files++;
      attempt(file, 'remove', () => unlinkSync(join(repoRoot, file)));
      removeEmptyParents(repoRoot, dirname(file));
      pause();
    }
    attempt(JOURNAL_FILE, 'remove (commit)', () => removeJournal(repoRoot));
  } catch (error) {
    const what = error instanceof IoFailureError ? error.message : describeCause(error);
    const result = rollBack(repoRoot, journal, progress);
    if (result.failures.length === 0) {
      throw new SynthError(
        'synth/write-failed',
        `synth could not write clusters/: ${what}.\nclusters/ was rolled back and is exactly as before this synth (${result.restored} file(s) restored, ${result.removed} removed).`,
      );
    }
    throw new SynthError(
      'synth/write-failed',
      `synth could not write clusters/: ${what}.\nThe rollback failed for ${result.failures.length} step(s), so clusters/ is partly old, partly new:\n${describeRollbackFailures(result)}\n${JOURNAL_FILE} is kept: fix the cause, then run any flotilla command (e.g. 'npm run synth -- --check'); it finishes the rollback first.`,
    );
  }
  pause();
}

/** 'a/b/c/f.yaml' → ['a', 'a/b', 'a/b/c']. */
function ancestorsOf(file: string): string[] {
  const parts = file.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Removes folders emptied by a stale file's removal (up to clusters/); a rollback re-creates them. */
function removeEmptyParents(repoRoot: string, relativeDir: string): void {
  for (let current = relativeDir; current.includes('/'); current = dirname(current)) {
    const absolute = join(repoRoot, current);
    if (attempt(current, 'list folder', () => readdirSync(absolute)).length > 0) return;
    attempt(current, 'remove empty folder', () => rmdirSync(absolute));
  }
}

/**
 * Fault injection for the kill test: with FLOTILLA_TEST_PAUSE_AT=<n>, the writer announces step n on
 * stderr and stops there (step 0: journal written; the last: journal removed), so the test can SIGKILL it at that exact point.
 */
function faultHook(total: number): () => void {
  const at = process.env.FLOTILLA_TEST_PAUSE_AT;
  if (at === undefined) return () => undefined;
  let step = 0;
  return () => {
    if (step++ !== Number(at)) return;
    writeSync(2, `flotilla-test: paused at write step ${step - 1} (steps 0..${total})\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  };
}
