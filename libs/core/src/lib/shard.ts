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
