import { defineStages, type ClusterFacts, type GitSource } from '@flotilla/config';

/** The Git repository every cluster of the example fleet pulls from. */
export const fleetRepository: GitSource = {
  url: 'ssh://git@github.com/example-org/flotilla-fleet',
  branch: 'main',
};

/**
 * The environments of this fleet. The team catalog (`lib/teams/`) has settings for each, so a
 * team that lacks one, or a cluster in an environment the catalog does not know, fails to compile.
 */
export type FleetEnvironment = 'dev' | 'staging' | 'prod';

/** The environments in promotion order: a release reaches prod only through staging (`flotilla promote`); prod is immutable. */
export const stages = defineStages<FleetEnvironment>(['dev', 'staging', 'prod'], {
  // prod runs only what cannot change under the same name (digests, commits, verified exact versions,
  // pinned AMIs) or a reviewed exception (pin-exceptions.ts); dev and staging may float.
  immutable: ['prod'],
});

/** A cluster of this fleet, as its files see it: the validated facts and what derives from them. */
export type FleetCluster = ClusterFacts<FleetEnvironment>;
