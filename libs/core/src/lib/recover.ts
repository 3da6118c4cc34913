import { describeRollbackFailures, JOURNAL_FILE, readJournal, removeOrphanJournalTemps, rollBack } from './write-journal';
import { acquireSynthLock, type LockOptions } from './synth-lock';
import { SynthError } from './synth-error';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Run first by every command that reads or writes clusters/ (synth, --check, validate, diff, guard):
 * if a synth died while writing (its journal is still there), rolls the tree back to the render
 * before it, under the lock. Returns what to tell the user, or undefined when there was nothing to do.
 *
 * @throws SynthError when the rollback cannot complete (the journal is kept, so it can be retried)
 */
export function recoverInterruptedSynth(repoRoot: string, command: string, options: LockOptions = {}): string | undefined {
  if (!existsSync(join(repoRoot, JOURNAL_FILE))) return undefined;
  const lock = acquireSynthLock(repoRoot, command, options);
  try {
    return recoverLocked(repoRoot);
  } finally {
    lock.release();
  }
}

/** The same, for a caller that already holds the lock. */
export function recoverLocked(repoRoot: string): string | undefined {
  removeOrphanJournalTemps(repoRoot);
  const journal = readJournal(repoRoot);
  if (!journal) return undefined;
  const result = rollBack(repoRoot, journal);
  const who = `pid ${journal.pid} (${journal.command}), started ${journal.started}`;
  if (result.failures.length > 0) {
    throw new SynthError(
      'synth/recovery-failed',
      `a synth that was interrupted while writing clusters/ (${who}) could not be rolled back completely: ${result.failures.length} step(s) failed, so clusters/ is still partly old, partly new:\n${describeRollbackFailures(result)}\n${JOURNAL_FILE} is kept; fix the cause above and run the command again to finish the rollback`,
    );
  }
  return `an interrupted synth (${who}) had left clusters/ half-written; rolled it back to the render before it (${result.restored} file(s) restored, ${result.removed} removed)`;
}
