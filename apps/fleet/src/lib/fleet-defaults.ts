import type { ClusterFacts, GitSource } from '@flotilla/config';

/** The Git repository every cluster of the example fleet pulls from. */
export const fleetRepository: GitSource = {
  url: 'ssh://git@github.com/example-org/flotilla-fleet',
  branch: 'main',
};

/**
 * The environments of this fleet. The team catalog (`lib/teams/`) has settings for each, so a
 * team that lacks one, or a cluster in an environment the catalog does not know, fails to compile.
 */
export type FleetEnvironment = 'dev' | 'prod';

/** A cluster of this fleet, as its files see it: the validated facts and what derives from them. */
export type FleetCluster = ClusterFacts<FleetEnvironment>;
