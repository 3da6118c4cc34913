import { mkdirSync, readdirSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { comparisonOf, describeProblems, type TreeDrift } from './apply-plan';
import { attempt, describeCause, IoFailureError } from './io-failure';
import type { RenderPlan } from './render-plan';
import { SynthError } from './synth-error';
import {
  appendJournalSegment,
  describeRollbackFailures,
  JOURNAL_FILE,
  readJournal,
  removeJournal,
  rollBack,
  writeJournal,
  writeNoFollow,
  type JournalSegment,
} from './write-journal';

/**
 * Writes a synth segment by segment (one cluster at a time), all or nothing across the segments,
 * also if the process is killed:
 *
 * 1. before a segment's first change, its part of the rollback journal (old content of every file
 *    changed or removed, folders to create) is written (the first segment creates the journal,
 *    the others append to it);
 * 2. its files are written in place (never through a symlink), its stale ones removed;
 * 3. {@link commit} removes the journal: the new render is the tree. {@link abort} (a later segment
 *    failed its checks) or any I/O failure rolls every segment back from the journal; a killed
 *    process is rolled back by the next flotilla command ({@link recoverInterruptedSynth}).
 *
 * Memory holds one segment's old contents; the journal on disk holds them all. The caller holds the synth lock.
 */
export class TreeWriter {
  private started = false;
  /** Files and folders touched so far, so an in-process rollback undoes only those. */
  private readonly progress = { files: 0, createdDirs: 0 };
  private readonly pause = faultHook();

  constructor(
    private readonly repoRoot: string,
    private readonly command: string,
  ) {}

  /** Whether anything was written (a journal exists). */
  get touched(): boolean {
    return this.started;
  }

  /**
   * Writes one segment's drift. Refuses (writing nothing for it) when it has conflicts or malformed
   * owned files; the caller then aborts. An I/O failure rolls back every segment, then throws.
   */
  apply(plan: RenderPlan, drift: TreeDrift): void {
    if (drift.conflicts.length > 0 || drift.malformed.length > 0) {
      throw new SynthError('synth/tree-refused', `synth will not write clusters/; nothing was written:\n${describeProblems(drift).map((line) => `  ${line}`).join('\n')}`);
    }
    const comparison = comparisonOf(drift);
    const writes = [...drift.missing, ...drift.changed].sort();
    if (writes.length + drift.stale.length === 0) return;
    // Folders are created just before their first file (parents first), so the writes go in path order.
    const pending = new Set(comparison.newFolders);
    const folderOrder: string[] = [];
    const foldersBefore = new Map<string, string[]>();
    for (const file of writes) {
      const folders = ancestorsOf(file).filter((folder) => pending.delete(folder));
      if (folders.length > 0) foldersBefore.set(file, folders);
      folderOrder.push(...folders);
    }
    const segment: JournalSegment = {
      createdDirs: folderOrder,
      files: [...writes, ...drift.stale].map((path) => ({ path, before: comparison.before.get(path) ?? null })),
    };
    try {
      if (this.started) appendJournalSegment(this.repoRoot, segment);
      else writeJournal(this.repoRoot, { version: 2, pid: process.pid, command: this.command, started: new Date().toISOString(), ...segment });
    } catch (cause) {
      if (!this.started) {
        throw new SynthError('synth/write-failed', `synth could not write its journal ${JOURNAL_FILE}: ${describeCause(cause)}; nothing in clusters/ was changed`);
      }
      this.fail(`could not append to its journal ${JOURNAL_FILE}: ${describeCause(cause)}`);
    }
    this.started = true;
    this.pause();
    try {
      for (const file of writes) {
        for (const folder of foldersBefore.get(file) ?? []) {
          attempt(folder, 'create folder', () => mkdirSync(join(this.repoRoot, folder)));
          this.progress.createdDirs++; // after: a folder that failed to be created is not there to remove
          this.pause();
        }
        this.progress.files++; // before: a failed write may have left part of the file
        attempt(file, 'write', () => writeNoFollow(join(this.repoRoot, file), plan.files.get(file)!));
        this.pause();
      }
      for (const file of drift.stale) {
        this.progress.files++;
        attempt(file, 'remove', () => unlinkSync(join(this.repoRoot, file)));
        removeEmptyParents(this.repoRoot, dirname(file));
        this.pause();
      }
    } catch (error) {
      this.fail(error instanceof IoFailureError ? error.message : describeCause(error));
    }
  }

  /** Removes the journal: from here on the new render is the tree. */
  commit(): void {
    if (!this.started) return;
    try {
      attempt(JOURNAL_FILE, 'remove (commit)', () => removeJournal(this.repoRoot));
    } catch (error) {
      this.fail(error instanceof IoFailureError ? error.message : describeCause(error));
    }
    this.started = false;
    this.pause();
    this.pause.done();
  }

  /**
   * Undoes every segment written so far (a later one failed its checks or its render): clusters/ is
   * as before this synth. Throws only when the rollback itself fails (the journal is then kept),
   * naming `cause`, the failure that made the synth stop.
   */
  abort(cause: unknown): void {
    if (!this.started) return;
    const result = rollBack(this.repoRoot, readJournal(this.repoRoot)!, this.progress);
    this.started = false;
    if (result.failures.length > 0) throw rollbackFailed(`synth stopped after it had started writing clusters/ (${describeCause(cause)}) and rolled back`, result);
  }

  private fail(what: string): never {
    const result = rollBack(this.repoRoot, readJournal(this.repoRoot)!, this.progress);
    this.started = false;
    if (result.failures.length === 0) {
      throw new SynthError(
        'synth/write-failed',
        `synth could not write clusters/: ${what}.\nclusters/ was rolled back and is exactly as before this synth (${result.restored} file(s) restored, ${result.removed} removed).`,
      );
    }
    throw rollbackFailed(`synth could not write clusters/: ${what}`, result);
  }
}

function rollbackFailed(what: string, result: ReturnType<typeof rollBack>): SynthError {
  return new SynthError(
    'synth/write-failed',
    `${what}.\nThe rollback failed for ${result.failures.length} step(s), so clusters/ is partly old, partly new:\n${describeRollbackFailures(result)}\n${JOURNAL_FILE} is kept: fix the cause, then run any flotilla command (e.g. 'npm run synth -- --check'); it finishes the rollback first.`,
  );
}

export interface ApplyOptions {
  /** Recorded in the journal, for the message of whoever rolls it back. @default 'synth' */
  readonly command?: string;
}

/**
 * Writes one plan and removes stale owned files, all or nothing, also if the process is killed
 * (see {@link TreeWriter}; synth itself writes cluster by cluster through one writer).
 *
 * The caller holds the synth lock. Refuses (writing nothing) when the tree has conflicts or malformed owned files.
 */
export function applyPlan(repoRoot: string, plan: RenderPlan, drift: TreeDrift, options: ApplyOptions = {}): void {
  const writer = new TreeWriter(repoRoot, options.command ?? 'synth');
  writer.apply(plan, drift);
  writer.commit();
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
 * stderr and stops there (step 0: first journal segment written; the last: journal removed), so the
 * test can SIGKILL it at that exact point. A run that never reaches step n says how many steps it had.
 */
function faultHook(): (() => void) & { done(): void } {
  const at = process.env.FLOTILLA_TEST_PAUSE_AT;
  let step = 0;
  const pause = () => {
    if (at === undefined || step++ !== Number(at)) return;
    writeSync(2, `flotilla-test: paused at write step ${step - 1}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  };
  return Object.assign(pause, { done: () => (at === undefined ? undefined : void writeSync(2, `flotilla-test: write steps 0..${step - 1}\n`)) });
}
