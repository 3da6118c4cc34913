import { partitionOfRegion, type ClusterConfig } from '@flotilla/config';

/**
 * Names and ARNs derived from a cluster's typed facts. Constructs call these instead of writing
 * account ids, cluster names or ARNs into charts, so two clusters never share a hard-coded value.
 */

/** AWS partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  return partitionOfRegion(region);
}

/** The EKS cluster name in AWS (falls back to the fleet name). */
export function eksClusterNameOf(cluster: ClusterConfig): string {
  return cluster.eksClusterName ?? cluster.name;
}

export function eksClusterArn(cluster: ClusterConfig): string {
  return `arn:${partitionOf(cluster.region)}:eks:${cluster.region}:${cluster.account}:cluster/${eksClusterNameOf(cluster)}`;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * IAM role name for one of this cluster's identities: `<eks cluster name>-<suffix>`. The prefix
 * keeps roles of clusters sharing an account apart and lets policies scope `iam:PassRole` to
 * `role/<cluster>-*`.
 */
export function clusterRoleName(cluster: ClusterConfig, suffix: string): string {
  const name = `${eksClusterNameOf(cluster)}-${suffix}`;
  if (!ROLE_NAME.test(name)) {
    throw new Error(
      `role name '${name}' (cluster '${eksClusterNameOf(cluster)}' + suffix '${suffix}') is not a valid IAM role name; use at most 64 letters, digits and '+=,.@_-' in total, so shorten the suffix`,
    );
  }
  return name;
}

/** ARN of a role in the cluster's account. */
export function roleArn(cluster: ClusterConfig, roleName: string): string {
  return `arn:${partitionOf(cluster.region)}:iam::${cluster.account}:role/${roleName}`;
}

/**
 * Pattern matching every tenant workload role of this cluster, `<eks cluster name>.<namespace>.<name>`
 * (`tenantRoleName` in `@flotilla/workloads`; the dot keeps them apart from platform roles).
 */
export function tenantRoleArnPattern(cluster: ClusterConfig): string {
  return roleArn(cluster, `${eksClusterNameOf(cluster)}.*`);
}

/** Pattern matching every role {@link clusterRoleName} can produce for this cluster. */
export function clusterRoleArnPattern(cluster: ClusterConfig): string {
  return roleArn(cluster, `${eksClusterNameOf(cluster)}-*`);
}

/** The issuer without scheme, as IAM writes it in condition keys: `oidc.eks.<region>.amazonaws.com/id/<ID>`. */
export function oidcProviderHost(cluster: ClusterConfig): string {
  const url = cluster.identity.oidcIssuerUrl;
  if (!url.startsWith('https://')) {
    throw new Error(`cluster '${cluster.name}' identity.oidcIssuerUrl '${url}' must start with 'https://' (the EKS OIDC issuer URL)`);
  }
  return url.slice('https://'.length).replace(/\/$/, '');
}

export function oidcProviderArn(cluster: ClusterConfig): string {
  return `arn:${partitionOf(cluster.region)}:iam::${cluster.account}:oidc-provider/${oidcProviderHost(cluster)}`;
}

/**
 * The tag key that names the owning cluster on the AWS resources the platform creates (every ACK
 * controller's `resourceTags`); IAM conditions on it scope a controller or collector to this cluster's resources.
 */
export const CLUSTER_TAG_KEY = 'flotilla.dev/cluster';

/** Prefix of ARNs of a regional service in the cluster's account and region, e.g. `arn:aws:rds:eu-north-1:111111111111:`. */
export function regionalArnPrefix(cluster: ClusterConfig, service: string): string {
  return `arn:${partitionOf(cluster.region)}:${service}:${cluster.region}:${cluster.account}:`;
}

/** ARN of the role {@link clusterRoleName} names; lets one unit annotate a ServiceAccount with a role another unit creates. */
export function clusterRoleArn(cluster: ClusterConfig, suffix: string): string {
  return roleArn(cluster, clusterRoleName(cluster, suffix));
}
