import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterFiles, configMap, deployment, tempDir, writeTree, type Unit } from '../testing';
import { LEGACY_SYNTH_CLIS, renderBaseTree, SYNTH_CLI } from './base-tree';
import { allChanges, diffRenders } from './render-diff';
import { loadRenderedTree } from './rendered-tree';

let repo: { dir: string; remove(): Promise<void> };

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo.dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });

const web = (replicas: number): Unit => ({
  layer: 'apps',
  name: 'web',
  objects: [deployment('team-a', 'web', { replicas }), configMap('team-a', 'web-config', { LOG_LEVEL: 'info' })],
});

/** A synth CLI that renders one cluster with the replica count it finds in `replicas.txt`. */
const FAKE_SYNTH = `
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const replicas = readFileSync('replicas.txt', 'utf8').trim();
if (replicas === 'fail') { process.stderr.write('chart orders: missing value\\n'); process.exit(1); }
mkdirSync('clusters/dev/apps/web', { recursive: true });
writeFileSync('clusters/dev/apps/web/Deployment_team-a_web.yaml', [
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web, namespace: team-a}', 'spec: {replicas: ' + replicas + '}', ''
].join('\\n'));
`;

beforeEach(async () => {
  repo = await tempDir('flotilla-git-');
  git('init', '--quiet', '--initial-branch=main');
  await writeTree(repo.dir, clusterFiles('dev', [web(2)]));
  git('add', '.');
  git('commit', '--quiet', '-m', 'base render');
});
afterEach(() => repo.remove());

function worktrees(): string[] {
  return git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '));
}

describe('renderBaseTree', () => {
  it('uses the committed clusters/ when the base has no synth CLI, and diffs it against the working tree', async () => {
    // GIVEN an uncommitted change in the working tree
    await writeTree(repo.dir, clusterFiles('dev', [web(4)]));

    // WHEN the base is HEAD
    const base = await renderBaseTree({ repoRoot: repo.dir, base: 'HEAD' });
    let diff;
    try {
      expect(base.rendered).toBe(false);
      expect(base.fallbackReason).toBe(`HEAD has no ${SYNTH_CLI}`);
      diff = diffRenders(await loadRenderedTree(base.dir), await loadRenderedTree(repo.dir));
    } finally {
      await base.cleanup();
    }

    // THEN the diff holds the working-tree change, and the worktree is gone again
    expect(allChanges(diff).map((c) => [c.type, c.object, c.fields.map((f) => `${f.path}: ${f.before} → ${f.after}`)])).toEqual([
      ['changed', 'Deployment team-a/web', ['spec.replicas: 2 → 4']],
    ]);
    expect(existsSync(base.dir)).toBe(false);
    expect(worktrees()).toHaveLength(1);
    // the working tree is untouched
    expect(git('status', '--porcelain').trim()).toBe('M clusters/dev/apps/web/Deployment_team-a_web.yaml');
  });

  it("runs the base's own synth in the worktree, with node_modules linked in", async () => {
    // GIVEN a base commit whose synth renders 7 replicas (its committed tree says 2)
    await mkdir(path.join(repo.dir, path.dirname(SYNTH_CLI)), { recursive: true });
    await writeFile(path.join(repo.dir, SYNTH_CLI), FAKE_SYNTH);
    await writeFile(path.join(repo.dir, 'replicas.txt'), '7\n');
    await mkdir(path.join(repo.dir, 'node_modules'));
    git('add', SYNTH_CLI, 'replicas.txt');
    git('commit', '--quiet', '-m', 'add synth');

    const base = await renderBaseTree({ repoRoot: repo.dir, base: 'main' });
    try {
      expect(base.rendered).toBe(true);
      expect(base.fallbackReason).toBeUndefined();
      expect(await readFile(path.join(base.dir, 'clusters/dev/apps/web/Deployment_team-a_web.yaml'), 'utf8')).toContain('replicas: 7');
      expect(existsSync(path.join(base.dir, 'node_modules'))).toBe(true);
      // the working tree keeps its committed render
      expect(await readFile(path.join(repo.dir, 'clusters/dev/apps/web/Deployment_team-a_web.yaml'), 'utf8')).toContain('replicas: 2');
    } finally {
      await base.cleanup();
    }
    expect(worktrees()).toHaveLength(1);
  });

  it('runs the synth of a base from before the fleet became an application (libs/cli/bin)', async () => {
    // GIVEN a base commit whose synth is at the legacy location
    const legacy = LEGACY_SYNTH_CLIS[0]!;
    await mkdir(path.join(repo.dir, path.dirname(legacy)), { recursive: true });
    await writeFile(path.join(repo.dir, legacy), FAKE_SYNTH);
    await writeFile(path.join(repo.dir, 'replicas.txt'), '7\n');
    git('add', legacy, 'replicas.txt');
    git('commit', '--quiet', '-m', 'add legacy synth');

    const base = await renderBaseTree({ repoRoot: repo.dir, base: 'main' });
    try {
      expect(base.rendered).toBe(true);
      expect(await readFile(path.join(base.dir, 'clusters/dev/apps/web/Deployment_team-a_web.yaml'), 'utf8')).toContain('replicas: 7');
    } finally {
      await base.cleanup();
    }
  });

  it('falls back to the committed tree when the base synth fails, and says why', async () => {
    await mkdir(path.join(repo.dir, path.dirname(SYNTH_CLI)), { recursive: true });
    await writeFile(path.join(repo.dir, SYNTH_CLI), FAKE_SYNTH);
    await writeFile(path.join(repo.dir, 'replicas.txt'), 'fail\n');
    git('add', SYNTH_CLI, 'replicas.txt');
    git('commit', '--quiet', '-m', 'broken synth');

    const base = await renderBaseTree({ repoRoot: repo.dir, base: 'HEAD' });
    try {
      expect(base.rendered).toBe(false);
      expect(base.fallbackReason).toMatch(/^the synth of HEAD failed: .*chart orders: missing value/);
      const objects = await loadRenderedTree(base.dir);
      expect(objects.find((o) => o.object.kind === 'Deployment')?.object.spec).toMatchObject({ replicas: 2 });
    } finally {
      await base.cleanup();
    }
    expect(worktrees()).toHaveLength(1);
  });

  it('fails if the base is not a commit, and leaves no worktree behind', async () => {
    await expect(renderBaseTree({ repoRoot: repo.dir, base: 'no-such-branch' })).rejects.toThrow(
      /^--base no-such-branch is not a commit in .*: give a branch, tag or commit \(try `git fetch` first\)$/,
    );
    expect(worktrees()).toHaveLength(1);
  });
});
