import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeIoFailure, type IoFailure } from './io-failure';
import { isAlive, STATE_DIR } from './synth-lock';
import { SynthError } from './synth-error';

/** The rollback journal of the synth being written; its removal is the commit. */
export const JOURNAL_FILE = `${STATE_DIR}/synth.journal`;

/**
 * What a rollback needs to put clusters/ back as it was before a synth started writing: the old
 * content of every file it overwrites or removes (`null`: the file did not exist), and the folders
 * it creates. Written and fsync'd before the first change to clusters/.
 *
 * On disk (version 2) it is one JSON line of header, then one line per segment (a cluster), appended
 * before that segment's first change: memory holds one cluster's old contents, never the fleet's. A
 * torn last line is a segment whose writes had not started, so it is ignored. Version 1 (one JSON
 * document) is still read, so a journal left by an older synth is rolled back too.
 */
export interface Journal extends JournalHeader, JournalSegment {}

export interface JournalHeader {
  readonly version: 1 | 2;
  readonly pid: number;
  readonly command: string;
  readonly started: string;
}

/** The changes of one segment, in the order they are made. */
export interface JournalSegment {
  /** Repo-relative folders the synth creates, parents first. */
  readonly createdDirs: readonly string[];
  readonly files: readonly { readonly path: string; readonly before: string | null }[];
}

export interface RollbackResult {
  readonly restored: number;
  readonly removed: number;
  /** Steps that failed; every step is attempted regardless. Empty: the tree is exactly as before. */
  readonly failures: readonly IoFailure[];
}

/**
 * Writes the journal (header and first segment) beside its final name (unique per process, O_EXCL,
 * never through a symlink), then renames it into place, so a journal is either complete or absent.
 * With `durable` it is fsync'd first (power loss); a killed process needs no fsync, since its writes
 * are already in the page cache.
 */
export function writeJournal(repoRoot: string, journal: Journal, durable = isDurable()): void {
  const final = join(repoRoot, JOURNAL_FILE);
  const temporary = `${final}.${process.pid}.tmp`;
  mkdirSync(dirname(final), { recursive: true });
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    const { createdDirs, files, ...header } = journal;
    writeAll(fd, `${JSON.stringify({ ...header, version: 2 })}\n${JSON.stringify({ createdDirs, files })}\n`);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, final);
  if (durable) fsyncDir(dirname(final));
}

/** Appends the next segment to the journal in place, before any of its changes is made. */
export function appendJournalSegment(repoRoot: string, segment: JournalSegment, durable = isDurable()): void {
  const fd = openSync(join(repoRoot, JOURNAL_FILE), constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
  try {
    writeAll(fd, `${JSON.stringify({ createdDirs: segment.createdDirs, files: segment.files })}\n`);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const isDurable = () => process.env.FLOTILLA_SYNTH_FSYNC === '1';

/** The journal of an interrupted synth, if one is there. */
export function readJournal(repoRoot: string): Journal | undefined {
  let text: string;
  try {
    text = readFileSync(join(repoRoot, JOURNAL_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SynthError('synth/journal-unreadable', `could not read ${JOURNAL_FILE}: ${(error as Error).message}; an interrupted synth may have left clusters/ half-written`);
  }
  try {
    return parseJournal(text);
  } catch {
    throw new SynthError(
      'synth/journal-damaged',
      `${JOURNAL_FILE} is damaged, so an interrupted synth cannot be rolled back; restore clusters/ from git ('git checkout -- clusters' and 'git clean -fd clusters' after review), delete ${JOURNAL_FILE}, then run 'npm run synth'`,
    );
  }
}

/** Version 1 (one document) or 2 (header line, then segment lines; a torn last line is ignored). */
function parseJournal(text: string): Journal {
  const lines = text.split('\n');
  const first = JSON.parse(lines[0]!) as Journal;
  if (first.version === 1) return first;
  // The part after the last newline is empty, or a segment torn by a kill before its writes began.
  const segments = lines.slice(1, -1).map((line) => JSON.parse(line) as JournalSegment);
  return {
    ...first,
    createdDirs: segments.flatMap((segment) => segment.createdDirs),
    files: segments.flatMap((segment) => segment.files),
  };
}

/** The commit point: once the journal is gone, the new render is the tree. */
export function removeJournal(repoRoot: string): void {
  unlinkSync(join(repoRoot, JOURNAL_FILE));
}

/** How far a synth in this process got, so its own rollback touches only what it touched. @default - everything in the journal (after a kill) */
export interface Progress {
  readonly files: number;
  readonly createdDirs: number;
}

/**
 * Puts every journaled file back, newest first (a file that already has its old content is left
 * alone), then removes the folders the synth created if they are empty. Every step is attempted even
 * after a failure; the journal is removed only when all succeeded, so the next command retries the rest.
 */
export function rollBack(repoRoot: string, journal: Journal, progress?: Progress): RollbackResult {
  const failures: IoFailure[] = [];
  let restored = 0;
  let removed = 0;
  const files = journal.files.slice(0, progress?.files ?? journal.files.length);
  for (const { path, before } of files.reverse()) {
    const absolute = join(repoRoot, path);
    try {
      if (before === null) {
        if (removeIfFile(absolute)) removed++;
      } else if (currentContent(absolute) !== before) {
        mkdirSync(dirname(absolute), { recursive: true });
        writeNoFollow(absolute, before);
        restored++;
      }
    } catch (cause) {
      failures.push({ file: path, operation: before === null ? 'remove' : 'restore', cause });
    }
  }
  for (const dir of journal.createdDirs.slice(0, progress?.createdDirs ?? journal.createdDirs.length).reverse()) {
    try {
      rmdirSync(join(repoRoot, dir));
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') failures.push({ file: dir, operation: 'remove folder', cause });
    }
  }
  if (failures.length === 0) {
    try {
      removeJournal(repoRoot);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') failures.push({ file: JOURNAL_FILE, operation: 'remove', cause });
    }
  }
  return { restored, removed, failures };
}

/** Temp journals and lock files of processes that died before renaming or linking theirs into place. */
export function removeOrphanJournalTemps(repoRoot: string): void {
  const dir = join(repoRoot, STATE_DIR);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = /^synth\.(?:journal|lock)\.(\d+)\.tmp$/.exec(entry)?.[1];
    if (pid && Number(pid) !== process.pid && !isAlive({ pid: Number(pid), command: '', since: '' })) unlinkSync(join(dir, entry));
  }
}

export function describeRollbackFailures(result: RollbackResult): string {
  return result.failures.map((failure) => `  ${describeIoFailure(failure)}`).join('\n');
}

/** Opens for writing without following a symlink (ELOOP), so synth never writes to a link's target. */
export function writeNoFollow(absolute: string, content: string): void {
  const fd = openSync(absolute, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  try {
    writeAll(fd, content);
  } finally {
    closeSync(fd);
  }
}

/** write(2) may write less than asked (e.g. just before ENOSPC); loop until all is written or it throws. */
function writeAll(fd: number, content: string): void {
  const buffer = Buffer.from(content, 'utf8');
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}

/** A regular file's content; undefined when absent or not a regular file (a symlink is never read through). */
function currentContent(absolute: string): string | undefined {
  try {
    return lstatSync(absolute).isFile() ? readFileSync(absolute, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** Removes a regular file; a symlink or folder at that path is left alone and reported. */
function removeIfFile(absolute: string): boolean {
  let stat;
  try {
    stat = lstatSync(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: stat.isDirectory() ? 'EISDIR' : 'ELOOP' });
  unlinkSync(absolute);
  return true;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
