import type { ClusterConfig } from '@flotilla/config';
import { clusterRoleName, roleArn } from '@flotilla/constructs';

/**
 * The names tenancy rests on, defined once: the session/resource tag that scopes a team's AWS access, and the
 * SecretStore every team namespace gets. The store (secret-stores), the team (teams), workloads and the
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
