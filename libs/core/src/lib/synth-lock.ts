import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describeCause } from './io-failure';
import { SynthError } from './synth-error';

/** Synth's private folder in the repository (git-ignored): the lock and the write journal. */
export const STATE_DIR = '.flotilla';
export const LOCK_FILE = `${STATE_DIR}/synth.lock`;

/** Who holds the lock; written into the lock file as JSON. */
export interface LockOwner {
  readonly pid: number;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for the owner. */
  readonly started?: string;
  readonly command: string;
  readonly since: string;
}

export interface LockOptions {
  /** How long to wait for another process's lock. @default 30000 ms, or FLOTILLA_LOCK_WAIT_MS (a full write on a slow shared disk can take 15 s) */
  readonly waitMs?: number;
  /** Told once when this process has to wait, and when it removes a dead process's lock. */
  readonly notice?: (message: string) => void;
}

/** A held lock; `release` is idempotent. */
export interface SynthLock {
  readonly waitedMs: number;
  release(): void;
}

/**
 * Takes `.flotilla/synth.lock` with O_EXCL, so only one flotilla process writes clusters/ at a time.
 * Waits for a live holder up to `waitMs`, then fails naming its pid and command. A lock whose process
 * is gone (killed, crashed) is moved aside atomically and removed.
 */
export function acquireSynthLock(repoRoot: string, command: string, options: LockOptions = {}): SynthLock {
  const waitMs = options.waitMs ?? (Number(process.env.FLOTILLA_LOCK_WAIT_MS) || 30_000);
  const path = join(repoRoot, LOCK_FILE);
  mkdirSync(join(repoRoot, STATE_DIR), { recursive: true });
  const me: LockOwner = { pid: process.pid, started: processStart(process.pid), command, since: new Date().toISOString() };
  const started = Date.now();
  let told = false;
  for (;;) {
    // The content goes into a file of our own first, then link(2) puts it at the lock's name: atomic, fails
    // if a lock exists, and no reader ever sees a lock file without its owner.
    const own = `${path}.${process.pid}.tmp`;
    try {
      const fd = openSync(own, 'wx');
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      linkSync(own, path);
      unlinkSync(own);
      let released = false;
      return {
        waitedMs: Date.now() - started,
        release() {
          if (released) return;
          released = true;
          if (readOwner(path)?.pid === process.pid) unlinkSync(path);
        },
      };
    } catch (error) {
      rmSync(own, { force: true });
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SynthError('synth/lock-failed', `could not create the lock ${LOCK_FILE}: ${describeCause(error)}; nothing was written`);
      }
    }
    const owner = readOwner(path);
    if (owner === undefined || !isAlive(owner)) {
      if (removeStaleLock(path, owner)) {
        options.notice?.(
          owner
            ? `removed a stale lock left by pid ${owner.pid} (${owner.command}, since ${owner.since}), which is no longer running`
            : `removed an unreadable lock ${LOCK_FILE}`,
        );
      }
      continue;
    }
    if (Date.now() - started >= waitMs) {
      throw new SynthError(
        'synth/locked',
        `another flotilla process is writing clusters/: pid ${owner.pid} (${owner.command}), since ${owner.since}; waited ${Math.round(waitMs / 1000)} s. Let it finish and run this again (if that process is stuck, stop it; its lock is then recovered automatically)`,
      );
    }
    if (!told) {
      told = true;
      options.notice?.(`waiting for pid ${owner.pid} (${owner.command}), which holds ${LOCK_FILE}…`);
    }
    sleep(50);
  }
}

/** Runs `action` under the lock. */
export function withSynthLock<T>(repoRoot: string, command: string, action: (lock: SynthLock) => T, options: LockOptions = {}): T {
  const lock = acquireSynthLock(repoRoot, command, options);
  try {
    return action(lock);
  } finally {
    lock.release();
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Moves a dead process's lock aside by rename (atomic: of two processes recovering it, one wins),
 * then checks that what it moved is still that stale lock; if a live process took the lock in between,
 * it is put back with link (which never overwrites).
 */
function removeStaleLock(path: string, owner: LockOwner | undefined): boolean {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // someone else recovered it first
  }
  const moved = readOwner(aside);
  const same = owner === undefined ? moved === undefined : moved?.pid === owner.pid && moved.since === owner.since;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // the lock is already taken again; the moved one belonged to a process that will find it gone
    }
  }
  unlinkSync(aside);
  return same;
}

/** Whether the lock's process still runs: same pid, same start time, not a zombie. */
export function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const fields = procStat(owner.pid);
  if (fields === undefined) return true; // no /proc: kill(0) is all we know
  if (fields[0] === 'Z' || fields[0] === 'X') return false;
  return owner.started === undefined || fields[19] === owner.started;
}

/** Fields 3… of /proc/<pid>/stat (state, …, start time at index 19); undefined off Linux or when gone. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function processStart(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
