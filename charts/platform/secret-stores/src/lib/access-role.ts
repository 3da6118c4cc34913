import { Construct } from 'constructs';
import type { ClusterConfig } from '@flotilla/config';
import {
  RemovalPolicy,
  ackDeletionPolicy,
  clusterRoleName,
  eksClusterNameOf,
  partitionOf,
  roleArn,
} from '@flotilla/constructs';
import { policyDocumentJson, trustPolicyJson, validateStatement } from '@flotilla/model';
import * as ackIam from '@flotilla/k8s-apis/ack-iam';
import { ACCESS_ROLE_SUFFIX, tenantSecretsRoleName } from '@flotilla/workloads';
import type { SecretsKms } from './secrets-kms';
import { accessRolePermissions, accessRoleTrust, type AccessRoleTrustOptions } from './abac-policy';

/** Role suffix the ESO chart gives its controller identity: `<eks cluster name>-external-secrets`. */
export const ESO_CONTROLLER_ROLE_SUFFIX = 'external-secrets';
export const ESO_NAMESPACE = 'external-secrets';


export interface TenantSecretsAccessRoleProps extends Omit<AccessRoleTrustOptions, 'controllerRoleArn'> {
  readonly cluster: ClusterConfig;
  /** @default - `<eks cluster name>-external-secrets`, the ESO chart's controller role */
  readonly controllerRoleName?: string;
  /** Namespace of the ACK Role object. @default 'external-secrets' */
  readonly namespace?: string;
  /**
   * KMS keys of the tenants' secrets (the access role's `kms:Decrypt`, only through Secrets Manager).
   *
   * @default SecretsKms.viaSecretsManager()
   */
  readonly kms?: SecretsKms;
  /** What deleting the ACK object does to the IAM role. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The one IAM role every tenant store chains to (ACK `Role` `<eks>-tenant-secrets`). Attribute-based:
 * the ESO controller assumes it with the session tag `tenant=<team>`, and the role reads only
 * secrets tagged `tenant=<team>`. Adding a team needs no IAM change.
 */
export class TenantSecretsAccessRole extends Construct {
  readonly roleName: string;
  readonly roleArn: string;
  readonly resource: ackIam.Role;

  constructor(scope: Construct, id: string, props: TenantSecretsAccessRoleProps) {
    super(scope, id);
    const { cluster } = props;
    this.roleName = tenantSecretsRoleName(cluster);
    this.roleArn = roleArn(cluster, this.roleName);
    const controllerRoleArn = roleArn(cluster, props.controllerRoleName ?? clusterRoleName(cluster, ESO_CONTROLLER_ROLE_SUFFIX));
    const trust = accessRoleTrust({ ...props, controllerRoleArn });
    const permissions = accessRolePermissions({ partition: partitionOf(cluster.region), account: cluster.account, region: cluster.region, tagKey: props.tagKey, kms: props.kms });
    permissions.forEach((statement) => validateStatement(statement, `role '${this.roleName}'`));
    this.resource = new ackIam.Role(this, 'Resource', {
      metadata: { name: ACCESS_ROLE_SUFFIX, namespace: props.namespace ?? ESO_NAMESPACE, annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN) },
      spec: {
        name: this.roleName,
        description: `Tenant secrets of cluster ${eksClusterNameOf(cluster)} (ABAC on the ${props.tagKey ?? 'tenant'} tag), assumed by External Secrets, managed by Flotilla`,
        assumeRolePolicyDocument: trustPolicyJson(trust),
        inlinePolicies: { [ACCESS_ROLE_SUFFIX]: policyDocumentJson(permissions) },
        maxSessionDuration: 3600,
        tags: [{ key: 'flotilla.dev/cluster', value: cluster.name }],
      },
    });
  }
}
