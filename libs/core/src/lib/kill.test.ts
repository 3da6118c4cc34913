import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashFleet } from '../testing/crash-fleets';
import { clustersTree, projectRootsFor, tempRepo, writeFile } from '../testing/fixture-fleet';
import { bundleSynthChild, startSynth } from '../testing/synth-process';
import { driftCount } from './apply-plan';
import { synth } from './synth';
import { LOCK_FILE } from './synth-lock';
import { JOURNAL_FILE } from './write-journal';

type Tree = Map<string, string>;
const BOOTSTRAP = 'clusters/dev/flux-system/gotk-components.yaml';

let bundle: string;
let scratch: string;
let oldRepo: string;
let oldTree: Tree;
let newTree: Tree;

const same = (a: Tree, b: Tree) => a.size === b.size && [...a].every(([file, content]) => b.get(file) === content);
const classify = (tree: Tree) => (same(tree, oldTree) ? 'old' : same(tree, newTree) ? 'new' : 'mixed');

/** A fresh copy of the old render, with a file synth does not own. */
function oldCopy(): string {
  const repo = mkdtempSync(join(scratch, 'repo-'));
  cpSync(oldRepo, repo, { recursive: true });
  return repo;
}

/** What the next command does first (synth, --check, validate, diff and guard all recover this way): a --check of the new fleet. */
function nextCommand(repo: string): { notices: string[]; upToDate: boolean } {
  const notices: string[] = [];
  const fleet = crashFleet('new');
  const result = synth({ repoRoot: repo, fleet, projectRoots: projectRootsFor(fleet), check: true, notice: (message) => notices.push(message) });
  return { notices, upToDate: driftCount(result.drift) === 0 };
}

const figures = { kills: 0, consistent: 0, repaired: 0, mixed: 0 };

beforeAll(async () => {
  bundle = await bundleSynthChild();
  scratch = mkdtempSync(join(tmpdir(), 'flotilla-kill-'));
  oldRepo = tempRepo();
  writeFile(oldRepo, BOOTSTRAP, '# written by flux bootstrap\n');
  const oldFleet = crashFleet('old');
  synth({ repoRoot: oldRepo, fleet: oldFleet, projectRoots: projectRootsFor(oldFleet) });
  oldTree = clustersTree(oldRepo);
  const probe = oldCopy();
  const newFleet = crashFleet('new');
  synth({ repoRoot: probe, fleet: newFleet, projectRoots: projectRootsFor(newFleet) });
  newTree = clustersTree(probe);
}, 60_000);

afterAll(() => {
  // The figures the issue asks for; docs/benchmarks.md quotes them.
  console.log(`kill test: ${figures.kills} kills, ${figures.consistent} consistent, ${figures.repaired} repaired, ${figures.mixed} mixed`);
  rmSync(scratch, { recursive: true, force: true });
  rmSync(oldRepo, { recursive: true, force: true });
});

/** After a kill: the tree is old or new, or the next command makes it so (and says so); never mixed. */
function judge(repo: string, label: string): void {
  figures.kills++;
  const afterKill = classify(clustersTree(repo));
  const journaled = existsSync(join(repo, JOURNAL_FILE));
  const { notices, upToDate } = nextCommand(repo);
  const afterNext = classify(clustersTree(repo));
  if (afterNext === 'mixed') figures.mixed++;
  else if (afterKill === 'mixed') figures.repaired++;
  else figures.consistent++;
  expect(afterNext, `${label}: the tree after the next command`).not.toBe('mixed');
  // --check passes only an entirely new tree, never an interrupted one.
  expect(upToDate, label).toBe(afterNext === 'new');
  if (journaled) expect(notices.join('\n'), label).toMatch(/an interrupted synth \(pid \d+ \(synth-child new\), started .+\) had left clusters\/ half-written; rolled it back/);
  if (afterKill === 'mixed') expect(journaled, `${label}: a mixed tree always has its journal`).toBe(true);
  expect(readdirSync(join(repo, '.flotilla')), label).toEqual([]);
  expect(clustersTree(repo).get(BOOTSTRAP)).toBe('# written by flux bootstrap\n');
}

describe('synth killed with SIGKILL during its write phase', () => {
  it('leaves clusters/ entirely old or entirely new, or the next command rolls it back, at every write step', async () => {
    // A run that never pauses says how many write steps it had (clusters are written one after another).
    const counting = startSynth(bundle, [oldCopy(), 'new'], { FLOTILLA_TEST_PAUSE_AT: '-1' });
    await counting.exited;
    const last = Number(/write steps 0\.\.(\d+)/.exec(counting.stderr)![1]);
    const first = oldCopy();
    const probe = startSynth(bundle, [first, 'new'], { FLOTILLA_TEST_PAUSE_AT: '0' });
    await probe.waitFor(/paused at write step 0\n/);
    probe.child.kill('SIGKILL');
    await probe.exited;
    judge(first, 'step 0');
    expect(last, 'the change is large enough for 50 kill points').toBeGreaterThanOrEqual(50);
    // 50 points spread evenly over every step of the write phase, the last (journal removed) included.
    const steps = [...new Set(Array.from({ length: 49 }, (_, i) => Math.round(((i + 1) * last) / 49)))];
    for (const step of steps) {
      const repo = oldCopy();
      const running = startSynth(bundle, [repo, 'new'], { FLOTILLA_TEST_PAUSE_AT: String(step) });
      await running.waitFor(new RegExp(`paused at write step ${step}\\n`));
      running.child.kill('SIGKILL');
      expect((await running.exited).signal).toBe('SIGKILL');
      judge(repo, `step ${step}`);
      rmSync(repo, { recursive: true, force: true });
    }
  }, 300_000);

  it('also at random times over the whole run', async () => {
    const timing = startSynth(bundle, [oldCopy(), 'new']);
    const started = performance.now();
    await timing.exited;
    const duration = performance.now() - started;
    for (let run = 0; run < 10; run++) {
      const repo = oldCopy();
      const running = startSynth(bundle, [repo, 'new']);
      const delay = Math.random() * duration;
      await new Promise((resolve) => setTimeout(resolve, delay));
      running.child.kill('SIGKILL');
      await running.exited;
      judge(repo, `random kill after ${Math.round(delay)} ms`);
      rmSync(repo, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('two synths at once', () => {
  it('one waits for the other; the tree is entirely one render and both say what they did', async () => {
    for (let round = 0; round < 3; round++) {
      const repo = oldCopy();
      const a = startSynth(bundle, [repo, 'new']);
      const b = startSynth(bundle, [repo, 'old']);
      const [exitA, exitB] = await Promise.all([a.exited, b.exited]);
      expect(exitA.code, a.stderr).toBe(0);
      expect(exitB.code, b.stderr).toBe(0);
      expect(a.stdout).toMatch(/^ok new: \d+ file\(s\) written or removed\n$/);
      expect(b.stdout).toMatch(/^ok old: \d+ file\(s\) written or removed\n$/);
      for (const other of [a, b]) {
        if (other.stderr) expect(other.stderr).toMatch(/^notice: waiting for pid \d+ \(synth-child (old|new)\), which holds \.flotilla\/synth\.lock…\n$/);
      }
      expect(classify(clustersTree(repo))).not.toBe('mixed');
      expect(existsSync(join(repo, LOCK_FILE))).toBe(false);
    }
  }, 180_000);
});
