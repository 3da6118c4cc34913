import type { PolicyStatement, TrustStatement } from '@flotilla/model';
import { TENANT_TAG_KEY } from '@flotilla/workloads';
import { SecretsKms } from './secrets-kms';

/**
 * The session tag key the tenant ABAC compares: stores pass `tenant=<team>`, secrets carry the tag
 * `tenant=<team>`, and the access role reads a secret only when both match. Same key as
 * `TENANT_SESSION_TAG` in `@flotilla/workloads`.
 */

/** Read actions the access role grants (what ESO calls to sync a `data[].remoteRef` or `dataFrom.extract`). */
export const TENANT_SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] as const;

/**
 * Session tags EKS Pod Identity sets on a pod's session. They are transitive: a role the pod
 * chains into inherits them, and a request cannot override them (STS rejects a session tag whose
 * key is already inherited), so they can never carry a tenant value.
 */
export const POD_IDENTITY_SESSION_TAG_KEYS: readonly string[] = [
  'eks-cluster-arn',
  'eks-cluster-name',
  'kubernetes-namespace',
  'kubernetes-service-account',
  'kubernetes-pod-name',
  'kubernetes-pod-uid',
];

const TAG_KEY = /^[\w.:/=+@-]{1,128}$/;

export interface AccessRoleTrustOptions {
  /** ARN of the role the ESO controller runs as (its Pod Identity role). */
  readonly controllerRoleArn: string;
  /** @default TENANT_TAG_KEY ('tenant') */
  readonly tagKey?: string;
  /**
   * Tenant values a session may carry. Listing them stops a store from asking for a tenant that
   * does not exist on the cluster.
   *
   * @default - any non-empty value
   */
  readonly allowedTenants?: readonly string[];
  /**
   * Transitive session tag keys the controller's own session carries into the chained AssumeRole
   * (EKS Pod Identity sets `eks-cluster-arn`, `kubernetes-namespace`, … unless the association has
   * `disableSessionTags: true`). They are allowed next to the tenant key in `aws:TagKeys`; nothing
   * else is. Pass `POD_IDENTITY_SESSION_TAG_KEYS` when the controller runs on Pod Identity with
   * session tags.
   *
   * @default - none: the tenant key is the only tag key a session may carry
   */
  readonly inheritedTagKeys?: readonly string[];
}

/**
 * Trust policy of the tenant secrets access role: only the ESO controller role may assume it, and
 * it may set exactly one session tag, the tenant key (`aws:TagKeys` allows no other key, and
 * `aws:RequestTag/<key>` must be present, so an untagged session cannot be started either).
 */
export function accessRoleTrust(options: AccessRoleTrustOptions): TrustStatement[] {
  const tagKey = options.tagKey ?? TENANT_TAG_KEY;
  if (!TAG_KEY.test(tagKey)) throw new Error(`tagKey "${tagKey}" is not a valid IAM tag key (1-128 letters, digits and _.:/=+-@)`);
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(options.controllerRoleArn)) {
    throw new Error(`controllerRoleArn "${options.controllerRoleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  }
  const tenants = options.allowedTenants;
  if (tenants !== undefined && (tenants.length === 0 || tenants.some((t) => t === ''))) {
    throw new Error(`allowedTenants ${JSON.stringify(tenants)} must list at least one non-empty tenant, or be left out to allow any tenant`);
  }
  const principal = { AWS: options.controllerRoleArn };
  return [
    { principal, actions: ['sts:AssumeRole'] },
    {
      principal,
      actions: ['sts:TagSession'],
      conditions: {
        ...(tenants ? { StringEquals: { [`aws:RequestTag/${tagKey}`]: [...tenants] } } : { StringLike: { [`aws:RequestTag/${tagKey}`]: '?*' } }),
        'ForAllValues:StringEquals': { 'aws:TagKeys': [tagKey, ...(options.inheritedTagKeys ?? [])] },
      },
    },
  ];
}

export interface AccessRolePermissionOptions {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  /** @default TENANT_TAG_KEY ('tenant') */
  readonly tagKey?: string;
  /**
   * The KMS keys tenant secrets may be encrypted with (decrypted only through Secrets Manager).
   *
   * @default SecretsKms.viaSecretsManager() (any key of the account and region, through Secrets Manager, for its secrets)
   */
  readonly kms?: SecretsKms;
}

/**
 * Permission policy of the tenant secrets access role: read a secret only when its tenant tag
 * equals the session's tenant tag. A secret without the tag, or a session without it, matches
 * nothing (`${aws:PrincipalTag/…}` of a missing tag never equals a value).
 */
export function accessRolePermissions(options: AccessRolePermissionOptions): PolicyStatement[] {
  const tagKey = options.tagKey ?? TENANT_TAG_KEY;
  const secrets = `arn:${options.partition}:secretsmanager:${options.region}:${options.account}:secret:*`;
  return [
    {
      sid: 'ReadSecretsOfTheSessionTenant',
      actions: [...TENANT_SECRET_READ_ACTIONS],
      resources: [secrets],
      conditions: {
        StringEquals: { [`secretsmanager:ResourceTag/${tagKey}`]: `\${aws:PrincipalTag/${tagKey}}` },
        Null: { [`aws:PrincipalTag/${tagKey}`]: 'false' },
      },
    },
    ...(options.kms ?? SecretsKms.viaSecretsManager()).statements({ partition: options.partition, account: options.account, region: options.region, tagKey }),
  ];
}

/**
 * The statement the ESO controller's own role needs to chain into the access role (add it to the
 * ESO controller identity's statements).
 */
export function assumeAccessRoleStatement(accessRoleArn: string): PolicyStatement {
  return { sid: 'AssumeTenantSecretsAccessRole', actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [accessRoleArn] };
}
