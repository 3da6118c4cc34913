import type { ClusterConfig } from '@flotilla/config';
import {
  IDENTITY_NAMESPACE,
  RemovalPolicy,
  ackDeletionPolicy,
  eksClusterNameOf,
  partitionOf,
} from '@flotilla/constructs';
import { policyDocumentJson, validateStatement, type PolicyStatement } from '@flotilla/model';
import * as ackIam from '@flotilla/k8s-apis/ack-iam';
import { Construct } from 'constructs';
import { TENANT_TAG_KEY } from './tenancy';

/** Name suffix of the tenant permissions boundary: `<eks cluster name>-tenant-boundary`. */
export const TENANT_BOUNDARY_SUFFIX = 'tenant-boundary';

/**
 * Principal tag the boundary compares with a secret's `tenant` tag (the team name, as
 * `TenantSecretStore` tags secrets). `WorkloadIdentity` tags tenant roles with it; the
 * `FlotillaTenantIam` policy keeps its value equal to the namespace's `team` label.
 */
export const TENANT_PRINCIPAL_TAG = TENANT_TAG_KEY;

/**
 * Principal tag naming the workload's namespace. EKS Pod Identity sets it as a session tag; for
 * IRSA roles `WorkloadIdentity` sets the same key as a role tag, and `FlotillaTenantIam` keeps it
 * equal to the role's namespace.
 */
export const NAMESPACE_PRINCIPAL_TAG = 'kubernetes-namespace';

/** Log groups a tenant may write: `/tenants/<team>/…`. */
export const TENANT_LOG_GROUP_PREFIX = '/tenants/';

/** The platform's own buckets, denied to every tenant role (today the Lambda artifacts bucket). */
export function platformBucketsOf(cluster: ClusterConfig): string[] {
  return cluster.artifacts ? [cluster.artifacts.bucket] : [];
}

/** Name of the tenant permissions boundary policy on a cluster. */
export function tenantBoundaryName(cluster: ClusterConfig): string {
  return `${eksClusterNameOf(cluster)}-${TENANT_BOUNDARY_SUFFIX}`;
}

/** ARN of the tenant permissions boundary: what every tenant role sets as `spec.permissionsBoundary`. */
export function tenantBoundaryArn(cluster: ClusterConfig): string {
  return `arn:${partitionOf(cluster.region)}:iam::${cluster.account}:policy/${tenantBoundaryName(cluster)}`;
}

/**
 * Separator of tenant role names. Namespaces (DNS labels) and EKS cluster names cannot contain a
 * dot, and platform roles (`<eks cluster name>-<suffix>`) have none, so `<cluster>.<namespace>.`
 * names exactly one namespace: team `team` cannot claim `team-a`'s roles, nor team `external` the
 * platform's `external-secrets`.
 */
export const TENANT_ROLE_SEPARATOR = '.';

/**
 * Prefix of every tenant role name in a namespace: `<eks cluster name>.<namespace>.`. The
 * `FlotillaTenantIam` constraint gets `<eks cluster name>.` as `rolePrefix` and adds the namespace.
 */
export function tenantRolePrefix(cluster: ClusterConfig, namespace: string): string {
  return `${eksClusterNameOf(cluster)}${TENANT_ROLE_SEPARATOR}${namespace}${TENANT_ROLE_SEPARATOR}`;
}

/** IAM name of a tenant workload's role: `<eks cluster name>.<namespace>.<service account>`. */
export function tenantRoleName(cluster: ClusterConfig, namespace: string, serviceAccountName: string): string {
  return `${tenantRolePrefix(cluster, namespace)}${serviceAccountName}`;
}

/**
 * The tenant permissions boundary: the most a tenant role can ever do, whatever its inline policy
 * says. It allows the data-plane calls tenant workloads make, each limited to the cluster's account
 * (and region) and to the caller's own tenant (buckets, database users and log groups by
 * `<team>-` name, secrets and AppConfig applications by tag); it denies the platform's buckets, and IAM, role assumption,
 * Organizations, account-level changes and changes to itself explicitly, so a broader allow added
 * here later cannot reopen them.
 */
export function tenantBoundaryStatements(cluster: ClusterConfig): PolicyStatement[] {
  const partition = partitionOf(cluster.region);
  const { region, account } = cluster;
  const regional = (service: string) => `arn:${partition}:${service}:${region}:${account}:`;
  const secretRead = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
  const tenant = `\${aws:PrincipalTag/${TENANT_PRINCIPAL_TAG}}`;
  // Without the tag the variables resolve to nothing; require it so no grant falls back to a bare prefix.
  const tagged = { Null: { [`aws:PrincipalTag/${TENANT_PRINCIPAL_TAG}`]: 'false' } };
  const platformBuckets = platformBucketsOf(cluster);
  return [
    {
      sid: 'ReadSecretsTaggedForTheTenant',
      actions: secretRead,
      resources: [`${regional('secretsmanager')}secret:*`],
      conditions: {
        StringEquals: { 'secretsmanager:ResourceTag/tenant': `\${aws:PrincipalTag/${TENANT_PRINCIPAL_TAG}}` },
        Null: { [`aws:PrincipalTag/${TENANT_PRINCIPAL_TAG}`]: 'false' },
      },
    },
    {
      // RDS-managed master secrets carry RDS's tag, not ours; PostgresInstance names instances `<namespace>-<name>`.
      sid: 'ReadDatabaseSecretsOfTheNamespace',
      actions: secretRead,
      resources: [`${regional('secretsmanager')}secret:rds!*`],
      conditions: {
        StringLike: { 'secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn': `${regional('rds')}db:\${aws:PrincipalTag/${NAMESPACE_PRINCIPAL_TAG}}-*` },
        Null: { [`aws:PrincipalTag/${NAMESPACE_PRINCIPAL_TAG}`]: 'false' },
      },
    },
    {
      // Only the tenant's own buckets (named `<team>-…`), in this account: no reading or writing another
      // team's or the platform's data, no copying out to a bucket elsewhere.
      sid: 'ObjectAccessInTheTenantsBuckets',
      actions: [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject',
        's3:DeleteObject',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
        's3:ListBucket',
        's3:ListBucketMultipartUploads',
        's3:GetBucketLocation',
      ],
      resources: [`arn:${partition}:s3:::${tenant}-*`, `arn:${partition}:s3:::${tenant}-*/*`],
      conditions: { StringEquals: { 's3:ResourceAccount': account }, ...tagged },
    },
    {
      // AppConfig applications the binding tagged `team=<team>`.
      sid: 'ReadAppConfigOfTheTenant',
      actions: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
      resources: [`${regional('appconfig')}application/*`],
      conditions: { StringEquals: { 'aws:ResourceTag/team': tenant }, ...tagged },
    },
    // Database users named `<team>-…` only (rds-db ARNs carry the instance's resource id, not its name).
    { sid: 'ConnectToRdsAsTenantUsers', actions: ['rds-db:connect'], resources: [`${regional('rds-db')}dbuser:*/${tenant}-*`], conditions: tagged },
    {
      sid: 'WriteLogsOfTheTenant',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [`${regional('logs')}log-group:${TENANT_LOG_GROUP_PREFIX}${tenant}/*`],
      conditions: tagged,
    },
    // PutMetricData and the X-Ray write calls support no resource ARN.
    { sid: 'WriteMetrics', actions: ['cloudwatch:PutMetricData'], resources: ['*'] },
    {
      sid: 'WriteTraces',
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
      resources: ['*'],
    },
    {
      sid: 'DecryptThroughSecretsManagerAndS3',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [`${regional('kms')}key/*`],
      conditions: { StringEquals: { 'kms:ViaService': [`secretsmanager.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`] } },
    },
    ...(platformBuckets.length === 0
      ? []
      : [
          {
            // Explicit, so no tenant bucket prefix or later allow can reach the platform's artifacts.
            sid: 'DenyPlatformBuckets',
            effect: 'Deny' as const,
            actions: ['s3:*'],
            resources: platformBuckets.flatMap((bucket) => [`arn:${partition}:s3:::${bucket}`, `arn:${partition}:s3:::${bucket}/*`]),
          },
        ]),
    { sid: 'DenyIam', effect: 'Deny', actions: ['iam:*'], resources: ['*'] },
    {
      sid: 'DenyRoleAssumption',
      effect: 'Deny',
      actions: [
        'sts:AssumeRole',
        'sts:AssumeRoleWithSAML',
        'sts:AssumeRoleWithWebIdentity',
        'sts:AssumeRoot',
        'sts:GetFederationToken',
        'sts:TagSession',
        'sts:SetSourceIdentity',
        'sts:SetContext',
      ],
      resources: ['*'],
    },
    { sid: 'DenyOrganizations', effect: 'Deny', actions: ['organizations:*'], resources: ['*'] },
    {
      sid: 'DenyAccountChanges',
      effect: 'Deny',
      actions: [
        'account:*',
        'aws-portal:*',
        'billing:*',
        'cloudtrail:DeleteTrail',
        'cloudtrail:StopLogging',
        'cloudtrail:UpdateTrail',
        'cloudtrail:PutEventSelectors',
        'config:DeleteConfigurationRecorder',
        'config:StopConfigurationRecorder',
      ],
      resources: ['*'],
    },
    {
      sid: 'DenyBoundaryChanges',
      effect: 'Deny',
      actions: [
        'iam:CreatePolicyVersion',
        'iam:DeletePolicy',
        'iam:DeletePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:TagPolicy',
        'iam:UntagPolicy',
        'iam:DeleteRolePermissionsBoundary',
        'iam:PutRolePermissionsBoundary',
      ],
      resources: [tenantBoundaryArn(cluster), `arn:${partition}:iam::${account}:role/*`],
    },
  ];
}

/** IAM's limit for a managed policy document (characters, whitespace not counted). */
const MANAGED_POLICY_MAX = 6_144;

export interface TenantPermissionsBoundaryProps {
  readonly cluster: ClusterConfig;
  /** Namespace of the ACK `Policy` object; platform-owned, never a tenant namespace. @default IDENTITY_NAMESPACE ('ack-system') */
  readonly namespace?: string;
  /** What deleting the ACK object does to the IAM policy. @default RemovalPolicy.RETAIN (every tenant role references it) */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * The ACK IAM `Policy` `<eks cluster name>-tenant-boundary` with {@link tenantBoundaryStatements}.
 * Render it in a platform unit (the tenants unit does): tenant roles reference it by ARN, and
 * the `FlotillaTenantIam` constraint requires it on every role in a tenant namespace.
 */
export class TenantPermissionsBoundary extends Construct {
  readonly policyName: string;
  readonly policyArn: string;
  readonly resource: ackIam.Policy;

  constructor(scope: Construct, id: string, props: TenantPermissionsBoundaryProps) {
    super(scope, id);
    const { cluster } = props;
    this.policyName = tenantBoundaryName(cluster);
    this.policyArn = tenantBoundaryArn(cluster);
    const statements = tenantBoundaryStatements(cluster);
    statements.forEach((statement) => validateStatement(statement, `tenant boundary '${this.policyName}'`));
    const document = policyDocumentJson(statements);
    if (document.length > MANAGED_POLICY_MAX) {
      throw new Error(`tenant boundary '${this.policyName}' is ${document.length} characters, over IAM's ${MANAGED_POLICY_MAX} for a managed policy; merge statements`);
    }
    this.resource = new ackIam.Policy(this, 'Resource', {
      metadata: {
        name: this.policyName,
        namespace: props.namespace ?? IDENTITY_NAMESPACE,
        annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN),
        ...(props.labels ? { labels: { ...props.labels } } : {}),
      },
      spec: {
        name: this.policyName,
        description: `Permissions boundary of tenant workload roles on cluster ${eksClusterNameOf(cluster)}, managed by Flotilla`,
        policyDocument: document,
        tags: [{ key: 'flotilla.dev/cluster', value: cluster.name }],
      },
    });
  }
}
