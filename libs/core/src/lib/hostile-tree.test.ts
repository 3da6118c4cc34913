import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { crashFleet } from '../testing/crash-fleets';
import { clustersTree, projectRootsFor, tempRepo, writeFile } from '../testing/fixture-fleet';
import { bindReadOnly, mountTmpfs, type Mounted } from '../testing/mounts';
import { headerFor } from './header';
import { recoverInterruptedSynth } from './recover';
import { synth, SynthError } from './synth';
import { LOCK_FILE, STATE_DIR } from './synth-lock';
import { JOURNAL_FILE, readJournal, rollBack, writeJournal } from './write-journal';

/** clusters/ only: the lock and the journal live in .flotilla/. */

const run = (repoRoot: string, variant: 'old' | 'new', extra: { bytes?: number; check?: boolean; notice?: (m: string) => void } = {}) => {
  const fleet = crashFleet(variant, extra.bytes);
  return synth({ repoRoot, fleet, projectRoots: projectRootsFor(fleet), check: extra.check, notice: extra.notice });
};

/** The SynthError's full text, as the CLI prints it. */
function failure(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof SynthError) return error.describe();
    throw error;
  }
  throw new Error('expected a SynthError');
}

/** A repo with the old render; returns it and its tree. */
function rendered(root = tempRepo()): { repo: string; before: Map<string, string> } {
  mkdirSync(join(root, 'clusters'), { recursive: true });
  run(root, 'old');
  return { repo: root, before: clustersTree(root) };
}

function mounted(ctx: TestContext, mount: Mounted): { dir: string; unmount(): void } {
  if ('reason' in mount) {
    console.warn(`skipped: ${mount.reason}`);
    ctx.skip();
  }
  return mount as { dir: string; unmount(): void };
}

describe('disk full', () => {
  it('names the file, the operation and ENOSPC, and rolls clusters/ back', (ctx) => {
    const disk = mounted(ctx, mountTmpfs('1m'));
    try {
      const { repo, before } = rendered(disk.dir);
      const message = failure(() => run(repo, 'new', { bytes: 40_000 }));
      expect(message).toMatch(/^synth could not write clusters\/: write clusters\/\S+\.yaml: ENOSPC \(no space left on the device\)\.\nclusters\/ was rolled back and is exactly as before this synth \(\d+ file\(s\) restored, \d+ removed\)\.$/);
      expect(clustersTree(repo)).toEqual(before);
    } finally {
      disk.unmount();
    }
  });
});

describe('read-only tree', () => {
  it('a read-only cluster folder: names the file and EROFS, and rolls back what was written elsewhere', (ctx) => {
    const { repo, before } = rendered();
    const ro = mounted(ctx, bindReadOnly(join(repo, 'clusters/prod')));
    try {
      const message = failure(() => run(repo, 'new'));
      expect(message).toMatch(/^synth could not write clusters\/: (write|create folder) clusters\/prod\/\S+: EROFS \(the file system is read-only\)\.\nclusters\/ was rolled back and is exactly as before this synth \([1-9]\d* file\(s\) restored, [1-9]\d* removed\)\.$/);
      expect(clustersTree(repo)).toEqual(before);
    } finally {
      ro.unmount();
    }
  });

  it('a read-only repository: says nothing was written', (ctx) => {
    const { repo, before } = rendered();
    const ro = mounted(ctx, bindReadOnly(repo));
    try {
      expect(failure(() => run(repo, 'new'))).toBe(`could not create the lock ${LOCK_FILE}: EROFS (the file system is read-only); nothing was written`);
      expect(clustersTree(repo)).toEqual(before);
    } finally {
      ro.unmount();
    }
  });
});

describe('a folder where a file goes, a file where a folder goes', () => {
  it('refuses before writing anything, naming the path; --check lists it too', () => {
    const { repo } = rendered();
    const file = 'clusters/dev/apps/unit-0/ConfigMap_demo_map-0.yaml';
    rmSync(join(repo, file));
    mkdirSync(join(repo, file));
    writeFile(repo, 'clusters/staging/apps/arriving', 'a file where a unit folder goes\n');
    const before = clustersTree(repo);
    const message = failure(() => run(repo, 'new'));
    expect(message).toContain(`synth will not write clusters/; nothing was written:\n  conflict   ${file} is a folder where synth writes a file; move it away`);
    expect(message).toContain('conflict   clusters/staging/apps/arriving is a file where synth needs a folder: move it away');
    expect(clustersTree(repo)).toEqual(before);
    expect(run(repo, 'new', { check: true }).drift.conflicts.map((entry) => entry.file)).toEqual([file, 'clusters/staging/apps/arriving/ConfigMap_demo_fresh.yaml']);
  });
});

describe('symlinks', () => {
  const outside = () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-outside-'));
    writeFileSync(join(dir, 'precious.yaml'), 'not synth\'s\n');
    return dir;
  };

  it('never writes through a unit folder that is a symlink to outside the repository', () => {
    const { repo } = rendered();
    const target = outside();
    rmSync(join(repo, 'clusters/dev/apps/unit-1'), { recursive: true });
    symlinkSync(target, join(repo, 'clusters/dev/apps/unit-1'));
    const before = clustersTree(repo);
    expect(failure(() => run(repo, 'new'))).toContain(
      'conflict   clusters/dev/apps/unit-1 is a symbolic link; synth never writes through a link (it could lead outside the repository): replace it with a real folder',
    );
    expect(readdirSync(target)).toEqual(['precious.yaml']);
    expect(clustersTree(repo)).toEqual(before);
  });

  it('never replaces a symlink\'s target where it writes a file, nor follows a clusters/ that is a link', () => {
    const { repo } = rendered();
    const target = outside();
    const file = 'clusters/dev/apps/unit-0/ConfigMap_demo_map-1.yaml';
    rmSync(join(repo, file));
    symlinkSync(join(target, 'precious.yaml'), join(repo, file));
    expect(failure(() => run(repo, 'new'))).toContain(`conflict   ${file} is a symbolic link where synth writes a file; synth never writes through a link`);
    expect(readFileSync(join(target, 'precious.yaml'), 'utf8')).toBe('not synth\'s\n');

    const linked = tempRepo();
    rmSync(join(linked, 'clusters'), { recursive: true });
    symlinkSync(target, join(linked, 'clusters'));
    expect(failure(() => run(linked, 'new'))).toContain('clusters is a symbolic link; synth never writes through a link');
    expect(readdirSync(target)).toEqual(['precious.yaml']);
  });

  it('planted temp-file symlinks: the journal is never written through one, old-style temp names are never used', () => {
    const { repo } = rendered();
    const target = outside();
    mkdirSync(join(repo, STATE_DIR), { recursive: true });
    symlinkSync(join(target, 'precious.yaml'), join(repo, `${JOURNAL_FILE}.${process.pid}.tmp`));
    symlinkSync(join(target, 'precious.yaml'), join(repo, 'clusters/dev/apps/unit-0/ConfigMap_demo_map-0.yaml.flotilla-tmp'));
    const before = clustersTree(repo);
    expect(failure(() => run(repo, 'new'))).toBe(`synth could not write its journal ${JOURNAL_FILE}: EEXIST (something already exists at that path); nothing in clusters/ was changed`);
    expect(clustersTree(repo)).toEqual(before);
    rmSync(join(repo, `${JOURNAL_FILE}.${process.pid}.tmp`));
    run(repo, 'new');
    expect(readFileSync(join(target, 'precious.yaml'), 'utf8')).toBe('not synth\'s\n');
    expect(clustersTree(repo).get('clusters/dev/apps/unit-0/ConfigMap_demo_map-0.yaml.flotilla-tmp')).toBe(`symlink -> ${join(target, 'precious.yaml')}`);
  });
});

describe('malformed owned files', () => {
  it('are reported by --check and refused by synth, never replaced or deleted', () => {
    const { repo } = rendered();
    const garbled = 'clusters/dev/apps/unit-2/ConfigMap_demo_map-0.yaml';
    const unparsable = 'clusters/dev/apps/retiring/ConfigMap_demo_gone.yaml';
    writeFile(repo, garbled, '# Generated by Flotilla fr\u0000\u0000om ch');
    writeFile(repo, unparsable, `${headerFor('apps/retiring')}data: [unclosed\n`);
    const before = clustersTree(repo);
    const check = run(repo, 'new', { check: true });
    expect(check.drift.malformed.map((entry) => entry.file)).toEqual([unparsable, garbled]);
    expect(check.drift.malformed[1]!.problem).toMatch(/^it starts with synth's header marker, but its first line is not a complete header/);
    expect(check.drift.malformed[0]!.problem).toMatch(/^it carries synth's header but is not valid YAML/);
    const message = failure(() => run(repo, 'new'));
    expect(message).toContain(`malformed  ${garbled}: it starts with synth's header marker`);
    expect(message).toContain(`restore it ('git checkout -- ${unparsable}') or delete it, then run 'npm run synth'`);
    expect(clustersTree(repo)).toEqual(before);
  });
});

describe('rollback', () => {
  it('never stops half-way: every step is tried, each failure named, and the journal kept until all succeed', () => {
    const { repo } = rendered();
    writeFile(repo, 'clusters/a.yaml', 'new a\n');
    writeFile(repo, 'clusters/blocked', 'a file where a folder should be\n');
    writeFile(repo, 'clusters/c.yaml', 'created by the synth\n');
    writeJournal(repo, {
      version: 1,
      pid: 999_999_999,
      command: 'flotilla synth (test)',
      started: '2026-12-04T00:00:00.000Z',
      createdDirs: [],
      files: [
        { path: 'clusters/a.yaml', before: 'old a\n' },
        { path: 'clusters/blocked/b.yaml', before: 'old b\n' },
        { path: 'clusters/c.yaml', before: null },
      ],
    });
    const result = rollBack(repo, readJournal(repo)!);
    expect(result.failures.map((entry) => `${entry.operation} ${entry.file} ${(entry.cause as NodeJS.ErrnoException).code}`)).toEqual(['restore clusters/blocked/b.yaml EEXIST']);
    expect(readFileSync(join(repo, 'clusters/a.yaml'), 'utf8')).toBe('old a\n');
    expect(existsSync(join(repo, 'clusters/c.yaml'))).toBe(false);
    expect(existsSync(join(repo, JOURNAL_FILE))).toBe(true);
    expect(failure(() => recoverInterruptedSynth(repo, 'test'))).toMatch(
      /^a synth that was interrupted while writing clusters\/ \(pid 999999999 \(flotilla synth \(test\)\), started .+\) could not be rolled back completely: 1 step\(s\) failed, so clusters\/ is still partly old, partly new:\n {2}restore clusters\/blocked\/b\.yaml: (EEXIST|ENOTDIR) \(.+\)\n\.flotilla\/synth\.journal is kept; fix the cause above and run the command again to finish the rollback$/,
    );
    rmSync(join(repo, 'clusters/blocked'));
    expect(recoverInterruptedSynth(repo, 'test')).toBe('an interrupted synth (pid 999999999 (flotilla synth (test)), started 2026-12-04T00:00:00.000Z) had left clusters/ half-written; rolled it back to the render before it (1 file(s) restored, 0 removed)');
    expect(readFileSync(join(repo, 'clusters/blocked/b.yaml'), 'utf8')).toBe('old b\n');
    expect(existsSync(join(repo, JOURNAL_FILE))).toBe(false);
  });
});

describe('the lock', () => {
  it('a live holder: waits, then stops naming its pid and command; the tree is untouched', async () => {
    const { repo, before } = rendered();
    const holder = spawn('sleep', ['30']);
    try {
      const stat = readFileSync(`/proc/${holder.pid}/stat`, 'utf8');
      const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      writeFile(repo, LOCK_FILE, JSON.stringify({ pid: holder.pid, started, command: 'flotilla synth --cluster prod', since: '2026-12-04T20:00:00.000Z' }));
      process.env.FLOTILLA_LOCK_WAIT_MS = '300';
      const notices: string[] = [];
      expect(failure(() => run(repo, 'new', { notice: (m) => notices.push(m) }))).toBe(
        `another flotilla process is writing clusters/: pid ${holder.pid} (flotilla synth --cluster prod), since 2026-12-04T20:00:00.000Z; waited 0 s. Let it finish and run this again (if that process is stuck, stop it; its lock is then recovered automatically)`,
      );
      expect(notices).toEqual([`waiting for pid ${holder.pid} (flotilla synth --cluster prod), which holds ${LOCK_FILE}…`]);
      expect(clustersTree(repo)).toEqual(before);
    } finally {
      delete process.env.FLOTILLA_LOCK_WAIT_MS;
      holder.kill();
    }
  });

  it('a dead holder\'s lock is recovered, and said so', async () => {
    const { repo } = rendered();
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('close', resolve));
    writeFile(repo, LOCK_FILE, JSON.stringify({ pid: gone.pid, command: 'flotilla synth', since: '2026-12-04T20:00:00.000Z' }));
    const notices: string[] = [];
    run(repo, 'new', { notice: (m) => notices.push(m) });
    expect(notices).toEqual([`removed a stale lock left by pid ${gone.pid} (flotilla synth, since 2026-12-04T20:00:00.000Z), which is no longer running`]);
    expect(readdirSync(join(repo, STATE_DIR))).toEqual([]);
  });
});
