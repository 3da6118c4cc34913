import type { ClusterConfig, Fleet } from '@flotilla/config';

/** Shard `index` of `count` (both from 1), as `flotilla synth --shard <index>/<count>` names it. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * How much a cluster weighs when shards are balanced: its units plus its scaffold. Known from typed
 * config before anything is rendered and independent of the working tree, so every runner (and
 * shards run one after another in one checkout) computes the same assignment.
 */
export function clusterWeight(cluster: ClusterConfig): number {
  return cluster.units.length + 1;
}

/**
 * Clusters per shard: heaviest first (ties by name), each to the lightest shard so far (ties to
 * the lowest index). Deterministic; every cluster is in exactly one shard; shards keep fleet order.
 */
export function assignShards(fleet: Fleet, count: number): ClusterConfig[][] {
  const order = [...fleet.clusters].sort((a, b) => clusterWeight(b) - clusterWeight(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const loads = Array.from({ length: count }, () => 0);
  const owner = new Map<string, number>();
  for (const cluster of order) {
    const lightest = loads.indexOf(Math.min(...loads));
    loads[lightest] += clusterWeight(cluster);
    owner.set(cluster.name, lightest);
  }
  return loads.map((_, shard) => fleet.clusters.filter((cluster) => owner.get(cluster.name) === shard));
}

/** The clusters shard `shard` renders. */
export function shardClusters(fleet: Fleet, shard: Shard): ClusterConfig[] {
  return assignShards(fleet, shard.count)[shard.index - 1] ?? [];
}

/**
 * Whether this part of a synth owns the fleet-level work (CODEOWNERS, folders of clusters that left
 * the fleet): a render of every cluster, or shard 1 of a sharded one, so exactly one shard does it.
 */
export function ownsFleetFiles(shard: Shard | undefined): boolean {
  return !shard || shard.index === 1;
}

/** What CI should do with a change: how many shards (0: one runner renders what the change affects). */
export interface ShardPlan {
  /** Clusters whose render the change can affect, in fleet order. */
  readonly affected: readonly string[];
  readonly total: number;
  /** Shards of the whole fleet, each at most `perRunner` clusters; 0 when the affected clusters fit one runner. */
  readonly shards: number;
}

/**
 * A cluster is affected when one of its units' projects is, or every cluster is (`everyCluster`:
 * the fleet's config changed, or a library the fleet depends on). More affected clusters than one
 * runner should take: the whole fleet in shards of at most `perRunner` clusters (every shard checks
 * all its clusters, so the affected ones are covered wherever they fall).
 */
export function planShards(fleet: Fleet, affectedProjects: ReadonlySet<string>, everyCluster: boolean, perRunner: number): ShardPlan {
  const affected = fleet.clusters.filter((cluster) => everyCluster || cluster.units.some((unit) => affectedProjects.has(unit.project))).map((cluster) => cluster.name);
  const shards = affected.length > perRunner ? Math.ceil(fleet.clusters.length / perRunner) : 0;
  return { affected, total: fleet.clusters.length, shards };
}
