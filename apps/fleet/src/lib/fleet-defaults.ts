import { defineStages, type ClusterFacts, type GitSource } from '@flotilla/config';
import type { PeopleRole } from '@flotilla/workloads';

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

/**
 * What every team's people may do in their namespace, per environment (a catalog team may override
 * it): edit on dev and staging (no Secrets through the API), read-only on prod, so nobody creates
 * pods, execs or port-forwards there and every prod change goes through Git ("no direct prod
 * access"; `flotilla validate` rejects a human binding beyond read-only in such a namespace).
 * An environment not listed (e.g. one just added by the cluster generator) gets `read-only`, the
 * safe side; list it to give its people edit.
 */
export const PEOPLE_ROLE_BY_ENVIRONMENT: Readonly<Partial<Record<FleetEnvironment, PeopleRole>>> = {
  dev: 'edit-no-secrets',
  staging: 'edit-no-secrets',
  prod: 'read-only',
};

/** The people role of environment `environment` (see {@link PEOPLE_ROLE_BY_ENVIRONMENT}). */
export function peopleRoleOf(environment: FleetEnvironment, roles: Readonly<Partial<Record<FleetEnvironment, PeopleRole>>> = PEOPLE_ROLE_BY_ENVIRONMENT): PeopleRole {
  return roles[environment] ?? 'read-only';
}
