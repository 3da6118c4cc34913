import { type Unit, unitCallSite } from '@flotilla/config';
import type { RemovalPolicy } from '@flotilla/constructs';
import { Team, teamRef, tenantLabels, TenantPermissionsBoundary, TENANT_SECRET_STORE_NAME, TenantSecretStore, tenantSecretsRoleArn, WorkloadValidationError, type TeamConfig } from '@flotilla/workloads';

export interface TeamsProps {
  /** Every team (tenant) of the cluster. */
  readonly teams: readonly TeamConfig[];
  /**
   * Units to wait for, e.g. `['secret-stores']` (creates the ABAC access role the stores assume).
   * Not required for correctness: stores name the role by ARN and ESO retries until it exists.
   *
   * @default - none besides the previous layer
   */
  readonly dependsOn?: readonly string[];
  /**
   * What deleting the tenant permissions boundary's ACK object does to the IAM policy.
   *
   * @default RemovalPolicy.RETAIN (every tenant role references it)
   */
  readonly boundaryRemovalPolicy?: RemovalPolicy;
}

/** The tenants unit's name; team app units list it in `dependsOn`. */
export const TEAMS_UNIT = 'teams';

/**
 * The tenants unit (layer `infra-configs`): for every team a {@link Team} (namespace, RBAC, quota,
 * limits, network policies, Flux tenant account, S3 volumes) and its Secrets Manager
 * `TenantSecretStore` with the session tag `tenant=<team>`; and once per cluster the tenant
 * permissions boundary (ACK IAM `Policy` `<eks cluster name>-tenant-boundary` in `ack-system`,
 * retained) that every tenant role must carry (`FlotillaTenantIam`).
 *
 * Platform-owned and applied with Flux's own account: this is where each team's fence is drawn,
 * so a team's app units (which reconcile as `flux-<team>`) cannot change it.
 */
export function teams(props: TeamsProps): Unit {
  const names = new Set<string>();
  const namespaces = new Set<string>();
  for (const team of props.teams) {
    const ref = teamRef(team);
    if (names.has(ref.name)) throw new WorkloadValidationError('teams/duplicate', `team '${ref.name}' is listed twice; give every team one entry`);
    if (namespaces.has(ref.namespace)) {
      throw new WorkloadValidationError('teams/duplicate', `namespace '${ref.namespace}' is used by two teams; each team needs its own namespace`);
    }
    names.add(ref.name);
    namespaces.add(ref.namespace);
  }
  // The boundary grants by `<team>-` (buckets, database users) and `<namespace>-` (RDS instances, which
  // cannot hold a dot); a name that is another's prefix up to a hyphen would reach the other's data.
  for (const [kind, set, grants] of [
    ['team', names, "buckets and database users '<team>-*'"],
    ['namespace', namespaces, "RDS instances 'db:<namespace>-*'"],
  ] as const) {
    for (const a of set) {
      const b = [...set].find((other) => other.startsWith(`${a}-`));
      if (b !== undefined) {
        throw new WorkloadValidationError(
          'teams/prefix',
          `${kind} '${a}' is a prefix of ${kind} '${b}' up to '-'; the tenant boundary grants ${grants}, so '${a}' would reach '${b}''s; rename one of them (e.g. '${a}-core')`,
        );
      }
    }
  }
  return {
    name: TEAMS_UNIT,
    project: 'teams',
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    ...(props.dependsOn && props.dependsOn.length > 0 ? { dependsOn: [...props.dependsOn] } : {}),
    render(scope, { cluster }) {
      const roleArn = tenantSecretsRoleArn(cluster);
      new TenantPermissionsBoundary(scope, 'TenantBoundary', { cluster, removalPolicy: props.boundaryRemovalPolicy });
      for (const config of props.teams) {
        const team = new Team(scope, config.name, { config, kubernetesVersion: cluster.kubernetesVersion });
        new TenantSecretStore(scope, `${config.name}-secret-store`, {
          namespace: team.ref.namespace,
          tenant: team.ref.name,
          name: TENANT_SECRET_STORE_NAME,
          roleArn,
          region: cluster.region,
          labels: { ...tenantLabels(team.ref) },
        });
      }
    },
  };
}
