import { type Unit, unitCallSite } from '@flotilla/config';
import type { RemovalPolicy } from '@flotilla/constructs';
import { POD_IDENTITY_SESSION_TAG_KEYS } from './abac-policy';
import type { SecretsKms } from './secrets-kms';
import { TenantSecretsAccessRole } from './access-role';
import { PlatformSecretStore, TenantSecretStore } from '@flotilla/workloads';

export interface SecretStoresProps {
  /**
   * Tenants whose namespace store this unit renders. Teams rendered with `Team` from
   * `@flotilla/workloads` get their store there (`secretStore`); list only namespaces nobody else
   * renders a store for.
   *
   * @default - none
   */
  readonly tenantNamespaces?: readonly string[];
  /** Platform namespaces that get the `platform-secrets` ClusterSecretStore. @default - no platform store */
  readonly platformNamespaces?: readonly string[];
  /** Tenant values sessions may carry (trust policy). @default - any non-empty value */
  readonly allowedTenants?: readonly string[];
  /** @default - `<eks cluster name>-external-secrets` */
  readonly controllerRoleName?: string;
  /**
   * Transitive tag keys the ESO controller's session carries into the chained AssumeRole. The
   * controller runs on EKS Pod Identity and its role's trust requires the Pod Identity session tags,
   * so they cannot be disabled; whether STS counts inherited keys in `aws:TagKeys` is not verified
   * here, so they are tolerated. They cannot be overridden by a store, and the ABAC compares only the
   * tenant tag. Pass `[]` to allow the tenant key alone.
   *
   * @default POD_IDENTITY_SESSION_TAG_KEYS
   */
  readonly inheritedTagKeys?: readonly string[];
  /**
   * KMS keys of the tenants' secrets (the access role's `kms:Decrypt`, only through Secrets Manager).
   *
   * @default SecretsKms.viaSecretsManager()
   */
  readonly kms?: SecretsKms;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The `secret-stores` unit (infra-configs, after the ESO and ACK IAM controllers): the tenant ABAC
 * access role, optional tenant SecretStores and the optional platform ClusterSecretStore.
 */
export function secretStores(props: SecretStoresProps = {}): Unit {
  return {
    name: 'secret-stores',
    project: 'secret-stores',
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    render(scope, { cluster }) {
      const role = new TenantSecretsAccessRole(scope, 'AccessRole', {
        cluster,
        controllerRoleName: props.controllerRoleName,
        // The platform store's sessions carry tenant=platform, so the trust policy must allow it.
        allowedTenants: props.allowedTenants && props.platformNamespaces ? [...new Set([...props.allowedTenants, 'platform'])] : props.allowedTenants,
        inheritedTagKeys: props.inheritedTagKeys ?? POD_IDENTITY_SESSION_TAG_KEYS,
        kms: props.kms,
        removalPolicy: props.removalPolicy,
      });
      for (const namespace of props.tenantNamespaces ?? []) {
        new TenantSecretStore(scope, `Tenant-${namespace}`, { namespace, roleArn: role.roleArn, region: cluster.region });
      }
      if (props.platformNamespaces) {
        new PlatformSecretStore(scope, 'Platform', { namespaces: props.platformNamespaces, roleArn: role.roleArn, region: cluster.region });
      }
    },
  };
}
