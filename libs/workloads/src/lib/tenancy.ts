import type { ClusterConfig } from '@flotilla/config';
import { clusterRoleName, roleArn } from '@flotilla/constructs';
import type { TeamConfig } from './team';
import { WorkloadValidationError } from './validation-error';

/**
 * The names tenancy rests on, defined once: the session/resource tag that scopes a team's AWS access, the
 * SecretStore every team namespace gets, and which team owns which hostname on the shared gateway. The store (secret-stores), the team (teams), workloads and the
 * AppConfig binding all read them here.
 */

/** Tag key a secret's and a principal's tenant is compared on (ABAC): `secretsmanager:ResourceTag/tenant`. */
export const TENANT_TAG_KEY = 'tenant';

/** Name of the SecretStore in every team namespace; ExternalSecrets reference it. */
export const TENANT_SECRET_STORE_NAME = 'aws-secrets-manager';

/** Role suffix of the shared tenant secrets role: `<eks cluster name>-tenant-secrets`. */
export const ACCESS_ROLE_SUFFIX = 'tenant-secrets';

/** Name of the tenant secrets access role on a cluster. */
export function tenantSecretsRoleName(cluster: ClusterConfig): string {
  return clusterRoleName(cluster, ACCESS_ROLE_SUFFIX);
}

/** ARN of the tenant secrets access role on a cluster: what every `TenantSecretStore` sets as `role`. */
export function tenantSecretsRoleArn(cluster: ClusterConfig): string {
  return roleArn(cluster, tenantSecretsRoleName(cluster));
}

/** The hostnames one namespace's team owns: the parameters of the `FlotillaRouteHostnames` constraint. */
export interface HostnameOwner {
  readonly namespace: string;
  /** Exact hostnames, or `*.<domain>` for every subdomain of a domain. */
  readonly hostnames: readonly string[];
}

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** Whether `owned` (exact, or a `*.` wildcard) covers `host`, as the gateway compares them (case-insensitive). */
export function coversHostname(owned: string, host: string): boolean {
  const a = owned.toLowerCase();
  const b = host.toLowerCase();
  return a === b || (a.startsWith('*.') && b.endsWith(a.slice(1)));
}

/** Throws unless `hostname` is a fully qualified DNS name or a `*.` wildcard of one. */
export function assertHostname(prop: string, hostname: string): void {
  if (!HOSTNAME.test(hostname) || hostname.length > 253) {
    throw new WorkloadValidationError('workloads/hostname', `'${prop}' ('${hostname}') must be a fully qualified lowercase DNS name such as 'api.example.com', or '*.example.com' for every subdomain`);
  }
}

/**
 * Throws unless the team owns `hostname` (its `hostnames`): a route for a hostname the team does
 * not own would take another team's traffic on the shared gateway.
 */
export function assertTeamOwnsHostname(team: Pick<TeamConfig, 'name' | 'hostnames'>, prop: string, hostname: string): void {
  assertHostname(prop, hostname);
  const owned = team.hostnames ?? [];
  if (!owned.some((o) => coversHostname(o, hostname))) {
    throw new WorkloadValidationError(
      'workloads/hostname-not-owned',
      `'${prop}' ('${hostname}') is not a hostname team '${team.name}' owns (${owned.length > 0 ? owned.join(', ') : 'none'}); add it to the team's 'hostnames' in its TeamConfig (the teams unit rejects a hostname two teams claim)`,
    );
  }
}

/**
 * Each team's namespace with the hostnames it owns, for the cluster's `FlotillaRouteHostnames`
 * constraint (`gatekeeperPolicies({ constraints: { hostnameOwners } })`). Throws when two teams claim
 * overlapping hostnames (equal, or one under the other's wildcard).
 */
export function hostnameOwners(teams: readonly TeamConfig[]): HostnameOwner[] {
  const claims: { team: string; hostname: string }[] = [];
  for (const team of teams) {
    for (const [i, hostname] of (team.hostnames ?? []).entries()) {
      assertHostname(`hostnames[${i}]`, hostname);
      const other = claims.find((c) => coversHostname(c.hostname, hostname) || coversHostname(hostname, c.hostname));
      if (other) {
        throw new WorkloadValidationError(
          'teams/hostname',
          `hostname '${hostname}' of team '${team.name}' overlaps '${other.hostname}' of team '${other.team}'; a hostname belongs to one team: remove it from one of them`,
        );
      }
      claims.push({ team: team.name, hostname });
    }
  }
  return teams
    .filter((team) => (team.hostnames ?? []).length > 0)
    .map((team) => ({ namespace: team.namespace ?? team.name, hostnames: [...(team.hostnames ?? [])] }));
}

/**
 * Bucket name patterns of the teams' buckets, `<team>-*` (the names the tenant boundary grants), for
 * the S3 controller's `s3BucketNamePatterns`: it then manages, and sets bucket policies on, tenant
 * buckets only.
 */
export function tenantBucketNamePatterns(teams: readonly Pick<TeamConfig, 'name'>[]): string[] {
  return teams.map((team) => `${team.name}-*`);
}
