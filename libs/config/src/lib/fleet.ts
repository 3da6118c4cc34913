import { clusterPath, KUBERNETES_VERSIONS, type ClusterConfig } from './cluster-config';
import type { FleetCi } from './ci-settings';
import { deliveryProblems } from './delivery';
import { clusterRelease, mutableReferenceExceptionProblems, type FleetReleases } from './mutable-references';
import { LAYERS, type Unit } from './unit';

/** The fleet config is wrong; the message lists every problem with its cluster, field and fix. */
export class FleetConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the fleet config is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'FleetConfigError';
  }
}

/** Flux's own controller accounts: a tenant unit naming one would apply as cluster-admin. */
const FLUX_CONTROLLER_ACCOUNTS = ['kustomize-controller', 'helm-controller', 'source-controller', 'notification-controller', 'image-reflector-controller', 'image-automation-controller'];
const TENANT_FIX = "set 'flux: tenantFluxOptions(teamRef(team))' (from @flotilla/workloads) so the unit applies as its team's Flux account inside the team namespace";

/** An apps-layer unit must apply through its team's account with a target namespace, never as the Flux controller. */
function tenantUnitProblems(at: string, unit: Unit): string[] {
  if (unit.layer !== 'apps') return [];
  const problems: string[] = [];
  const account = unit.flux?.serviceAccountName;
  if (!account) problems.push(`${at}: an apps-layer unit has no 'flux.serviceAccountName', so Flux would apply it as its own controller (cluster-admin); ${TENANT_FIX}`);
  else if (FLUX_CONTROLLER_ACCOUNTS.includes(account)) problems.push(`${at}: 'flux.serviceAccountName' '${account}' is a Flux controller account (cluster-admin); ${TENANT_FIX}`);
  if (!unit.flux?.targetNamespace) problems.push(`${at}: an apps-layer unit has no 'flux.targetNamespace', so its objects may land in any namespace; ${TENANT_FIX}`);
  return problems;
}

/** Every cluster Flotilla renders. */
export interface Fleet {
  readonly clusters: readonly ClusterConfig[];
  /** GitHub teams rendered into `.github/CODEOWNERS`. @default - no CODEOWNERS file */
  readonly codeowners?: FleetCodeOwners;
  /** CI settings the workflows read (`flotilla ci-settings`). @default - no image-build settings */
  readonly ci?: FleetCi;
  /**
   * Stages (which are immutable), chart pins per stage and the reviewed mutable-reference
   * exceptions. `defineFleet` gives each cluster its part as `ClusterConfig.release`.
   *
   * @default - no stages: every add-on renders its catalog version and no cluster is checked for mutable references
   */
  readonly releases?: FleetReleases;
}

/** Who reviews what: GitHub teams as `@org/team`. */
export interface FleetCodeOwners {
  /** Owns every path no team owns (platform units, engine, fleet config). */
  readonly platform: string;
  /** Team namespace (an apps unit's `flux.targetNamespace`) → the team owning its units' libraries and rendered folders. */
  readonly teams: Readonly<Record<string, string>>;
}

const GITHUB_TEAM = /^@[A-Za-z0-9][-A-Za-z0-9]*\/[A-Za-z0-9][-A-Za-z0-9_.]*$/;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const UNIT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;

/**
 * Checks a fleet before anything renders and returns it; with `releases`, each cluster (a copy)
 * carries its stage's release (`ClusterConfig.release`).
 *
 * @throws FleetConfigError listing every problem, each naming the cluster, the field and the fix
 */
export function defineFleet(fleet: Fleet): Fleet {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const cluster of fleet.clusters) {
    const where = `cluster '${cluster.name}'`;
    if (!DNS_LABEL.test(cluster.name) || cluster.name.length > 63) {
      problems.push(`${where}: 'name' must be a DNS label (lowercase letters, digits, '-'), got '${cluster.name}'`);
    }
    if (seen.has(cluster.name)) problems.push(`${where}: declared twice; cluster names must be unique`);
    seen.add(cluster.name);
    if (!/^\d{12}$/.test(cluster.account)) {
      problems.push(`${where}: 'account' must be a 12-digit AWS account id, got '${cluster.account}'`);
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(cluster.region)) {
      problems.push(`${where}: 'region' must be an AWS region such as 'eu-north-1', got '${cluster.region}'`);
    }
    // The type already says so; this catches configs that were not type-checked (plain JS, casts, JSON).
    if (!(KUBERNETES_VERSIONS as readonly string[]).includes(cluster.kubernetesVersion)) {
      problems.push(
        `${where}: 'kubernetesVersion' '${String(cluster.kubernetesVersion)}' is not supported; use one of ${KUBERNETES_VERSIONS.join(', ')} (the versions Amazon EKS supports in standard support, which have schemas)`,
      );
    }
    if (!/^https:\/\//.test(cluster.identity.oidcIssuerUrl)) {
      problems.push(`${where}: 'identity.oidcIssuerUrl' must be the https issuer URL of the EKS cluster, got '${cluster.identity.oidcIssuerUrl}'`);
    }
    const path = clusterPath(cluster);
    if (path.startsWith('/') || path.startsWith('./') || path.includes('..')) {
      problems.push(`${where}: 'git.path' must be relative to the repository root without './' or '..', got '${path}'`);
    }
    problems.push(...deliveryProblems(where, cluster.delivery, cluster.units.map((unit) => unit.name)));
    const units = new Set<string>();
    for (const unit of cluster.units) {
      const at = `${where}, unit '${unit.name}'`;
      if (!UNIT_NAME.test(unit.name)) {
        problems.push(`${at}: unit names are DNS labels, optionally '<project>.<part>'`);
      }
      if (unit.name !== unit.project && !unit.name.startsWith(`${unit.project}.`)) {
        problems.push(`${at}: the name must be the project name '${unit.project}' or start with '${unit.project}.'`);
      }
      if (units.has(unit.name)) problems.push(`${at}: the cluster lists this unit twice`);
      units.add(unit.name);
      if (!LAYERS.includes(unit.layer)) {
        problems.push(`${at}: unknown layer '${unit.layer}'; use one of ${LAYERS.join(', ')}`);
      }
      problems.push(...tenantUnitProblems(at, unit));
    }
    for (const unit of cluster.units) {
      for (const dependency of unit.dependsOn ?? []) {
        if (!units.has(dependency)) {
          problems.push(`${where}, unit '${unit.name}': dependsOn '${dependency}', which this cluster does not run; add it to the cluster's units or drop the dependency`);
        }
      }
    }
  }
  if (fleet.codeowners) {
    const groups: [string, string][] = [['codeowners.platform', fleet.codeowners.platform], ...Object.entries(fleet.codeowners.teams).map(([ns, group]): [string, string] => [`codeowners.teams['${ns}']`, group])];
    for (const [field, group] of groups) {
      if (!GITHUB_TEAM.test(group)) problems.push(`fleet: '${field}' must be a GitHub team '@org/team', got '${group}'`);
    }
  }
  if (fleet.ci) {
    const cluster = fleet.clusters.find((candidate) => candidate.name === fleet.ci!.imageBuild.cluster);
    if (!cluster) {
      problems.push(`fleet: 'ci.imageBuild.cluster' is '${fleet.ci.imageBuild.cluster}', which is not a cluster of the fleet (${fleet.clusters.map((c) => c.name).join(', ')}); name the cluster whose ECR receives new images`);
    }
  }
  const releases = fleet.releases;
  if (releases) {
    for (const cluster of fleet.clusters) {
      if (!releases.stages.has(cluster.environment)) {
        problems.push(`cluster '${cluster.name}': 'environment' '${cluster.environment}' is not a stage (stages: ${releases.stages.order.join(', ')}); add it to defineStages or change the environment`);
      }
    }
    if (releases.charts && releases.charts.stages.order.join() !== releases.stages.order.join()) {
      problems.push(`fleet: 'releases.charts' is declared for stages ${releases.charts.stages.order.join(', ')}, not the fleet's ${releases.stages.order.join(', ')}; declare it with the same stages`);
    }
    problems.push(...mutableReferenceExceptionProblems(releases.mutableReferenceExceptions ?? []).map((problem) => `fleet: releases.${problem}`));
  }
  if (problems.length > 0) {
    throw new FleetConfigError(problems);
  }
  if (!releases) return fleet;
  // Each cluster carries its stage's part, so renderUnit and the checks need no fleet lookup.
  return { ...fleet, clusters: fleet.clusters.map((cluster) => ({ ...cluster, release: clusterRelease(releases, cluster.environment) })) };
}
