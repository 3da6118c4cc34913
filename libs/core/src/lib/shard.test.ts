import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fleet, Unit } from '@flotilla/config';
import { configMapUnit, fixtureCluster, projectRootsFor, readTree, tempRepo, writeFile } from '../testing/fixture-fleet';
import { driftCount } from './apply-plan';
import { headerFor } from './header';
import { assignShards, clusterWeight, planShards, shardClusters } from './shard';
import { synth } from './synth';

type Tree = Map<string, string>;
const scratch = mkdtempSync(join(tmpdir(), 'flotilla-shard-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An apps unit of team `demo` (CODEOWNERS needs its namespace) rendering `maps` ConfigMaps. */
const app = (name: string, value: string, maps = 1): Unit =>
  configMapUnit(name, 'apps', Object.fromEntries(Array.from({ length: maps }, (_, i) => [`${name}-${i}`, { value }])), { flux: { targetNamespace: 'demo' } });

/** Clusters with 1 to 5 units, so the shards have something to balance. */
function fleetOf(version: 'old' | 'new'): Fleet {
  const units: Record<string, Unit[]> = {
    alpha: [app('web', version), app('api', 'same'), ...(version === 'old' ? [app('retiring', 'gone')] : [])],
    bravo: [app('web', 'same'), app('api', version, 3), app('jobs', 'same'), app('cron', 'same'), app('docs', 'same')],
    charlie: [app('web', 'same')],
    delta: [app('web', 'same'), app('api', 'same')],
    echo: [app('web', 'same'), app('api', 'same'), app('jobs', version)],
    ...(version === 'old' ? { foxtrot: [app('web', 'removed with its cluster')] } : { golf: [app('web', 'new cluster')] }),
  };
  return {
    clusters: Object.entries(units).map(([name, list]) => fixtureCluster(name, list)),
    codeowners: { platform: '@org/platform', teams: { demo: `@org/demo-${version}` } },
  };
}

const NOT_OURS = 'clusters/delta/apps/web/NOTES.md';
const STALE = 'clusters/delta/apps/web/ConfigMap_demo_stale.yaml';

/** The committed state every variant starts from: the old fleet rendered, plus a stale owned file and a file synth does not own. */
const base = (() => {
  const repo = tempRepo();
  const fleet = fleetOf('old');
  synth({ repoRoot: repo, fleet, projectRoots: projectRootsFor(fleet) });
  writeFile(repo, STALE, `${headerFor('apps/web')}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stale, namespace: demo}\n`);
  writeFile(repo, NOT_OURS, 'hand-written\n');
  return repo;
})();

function copyOfBase(): string {
  const repo = mkdtempSync(join(scratch, 'repo-'));
  cpSync(base, repo, { recursive: true });
  return repo;
}

const newFleet = fleetOf('new');
const run = (repo: string, options: { shard?: { index: number; count: number }; check?: boolean } = {}) =>
  synth({ repoRoot: repo, fleet: newFleet, projectRoots: projectRootsFor(newFleet), scope: options.shard ? { shard: options.shard } : {}, check: options.check });

const full: Tree = (() => {
  const repo = copyOfBase();
  run(repo);
  return readTree(repo);
})();

/** Paths whose content differs between two trees (added, changed or removed). */
function changes(before: Tree, after: Tree): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}

describe('sharded synth', () => {
  it('the full render itself removes the stale file and the departed cluster, and keeps the file it does not own', () => {
    expect(full.has(STALE)).toBe(false);
    expect([...full.keys()].some((path) => path.startsWith('clusters/foxtrot/'))).toBe(false);
    expect(full.get(NOT_OURS)).toBe('hand-written\n');
    expect(full.get('.github/CODEOWNERS')).toContain('@org/demo-new');
  });

  for (const count of [1, 2, 3]) {
    it(`${count} shard(s) run one after another in one checkout write exactly the full render, stale files and the departed cluster removed`, () => {
      const repo = copyOfBase();
      // In reverse order: no shard depends on another having run first.
      for (let index = count; index >= 1; index--) run(repo, { shard: { index, count } });
      expect(readTree(repo)).toEqual(full);
    });

    it(`${count} shard(s) on separate runners each change only their own clusters (shard 1 also the fleet-level files); together the full render`, () => {
      const before = readTree(base);
      const union = new Map(before);
      for (let index = 1; index <= count; index++) {
        const repo = copyOfBase();
        run(repo, { shard: { index, count } });
        const after = readTree(repo);
        const own = shardClusters(newFleet, { index, count }).map((cluster) => `clusters/${cluster.name}/`);
        if (index === 1) own.push('.github/', 'clusters/foxtrot/');
        for (const path of changes(before, after)) {
          expect(own.some((prefix) => path.startsWith(prefix)), `shard ${index}/${count} changed ${path}`).toBe(true);
          if (after.has(path)) union.set(path, after.get(path)!);
          else union.delete(path);
        }
      }
      expect(new Map([...union].sort(([a], [b]) => a.localeCompare(b)))).toEqual(full);
    });
  }

  it('puts every cluster in exactly one shard, deterministically, balanced on unit counts', () => {
    for (const count of [1, 2, 3, 4, 7]) {
      const shards = assignShards(newFleet, count);
      expect(shards.flat().map((cluster) => cluster.name).sort()).toEqual(newFleet.clusters.map((cluster) => cluster.name).sort());
      expect(assignShards(newFleet, count).map((shard) => shard.map((cluster) => cluster.name))).toEqual(shards.map((shard) => shard.map((cluster) => cluster.name)));
      // Greedy heaviest-first: no shard exceeds the lightest by more than the heaviest cluster.
      const loads = shards.map((shard) => shard.reduce((sum, cluster) => sum + clusterWeight(cluster), 0));
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.max(...newFleet.clusters.map(clusterWeight)));
    }
    // Weights (units + 1): bravo 6, echo 4, alpha 3, delta 3, charlie 2, golf 2. Heaviest first, each to
    // the lighter shard: bravo→1, echo→2, alpha→2 (7), delta→1 (9), charlie→2 (9), golf→1 (tie: lower index).
    expect(assignShards(newFleet, 2).map((shard) => shard.map((cluster) => cluster.name))).toEqual([
      ['bravo', 'delta', 'golf'],
      ['alpha', 'charlie', 'echo'],
    ]);
  });

  it('--check per shard reports drift in its own clusters only; orphans only in shard 1', () => {
    const repo = copyOfBase();
    run(repo);
    const edited = 'clusters/echo/apps/jobs/ConfigMap_demo_jobs-0.yaml';
    writeFile(repo, edited, `${headerFor('apps/jobs')}edited: true\n`);
    writeFile(repo, 'clusters/zulu/kustomization.yaml', `${headerFor('apps/fleet')}resources: []\n`);
    const before = readTree(repo);
    const results = [1, 2].map((index) => run(repo, { shard: { index, count: 2 }, check: true }));
    expect(readTree(repo)).toEqual(before);
    const echoShard = shardClusters(newFleet, { index: 1, count: 2 }).some((cluster) => cluster.name === 'echo') ? 0 : 1;
    expect(results[echoShard]!.drift.changed).toEqual([edited]);
    expect(results[1 - echoShard]!.drift.changed).toEqual([]);
    expect(results[0]!.drift.stale).toEqual(['clusters/zulu/kustomization.yaml']);
    expect(results[1]!.drift.stale).toEqual([]);
    expect(results.map((result) => driftCount(result.drift))).toEqual(echoShard === 0 ? [2, 0] : [1, 1]);
  });

  it('plans one runner while the affected clusters fit it, else the whole fleet in runner-sized shards', () => {
    // `jobs` runs on bravo and echo only; `web` everywhere.
    expect(planShards(newFleet, new Set(['jobs']), false, 2)).toEqual({ affected: ['bravo', 'echo'], total: 6, shards: 0 });
    expect(planShards(newFleet, new Set(['jobs']), false, 1)).toEqual({ affected: ['bravo', 'echo'], total: 6, shards: 6 });
    expect(planShards(newFleet, new Set(['web']), false, 4)).toEqual({ affected: ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'golf'], total: 6, shards: 2 });
    expect(planShards(newFleet, new Set(), true, 5).shards).toBe(2);
    expect(planShards(newFleet, new Set(['unrelated']), false, 1)).toEqual({ affected: [], total: 6, shards: 0 });
  });
});
