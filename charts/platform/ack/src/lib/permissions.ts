import type { ClusterConfig } from '@flotilla/config';
import {
  clusterRoleArnPattern,
  tenantRoleArnPattern,
  eksClusterArn,
  eksClusterNameOf,
  partitionOf,
  regionalArnPrefix,
} from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';

/**
 * Least-privilege permissions of each ACK controller. Each controller may call only its own
 * service's APIs, on resources of the cluster's account and region, plus the few cross-service
 * calls its resources need (network lookups, `iam:PassRole` to the cluster's roles for the one
 * service principal that uses them, reading Lambda code from the artifacts bucket).
 */
export interface PermissionOptions {
  /** Roles the controllers may pass to AWS services (Lambda execution, EventBridge targets, S3 replication). */
  readonly passableRoleArnPatterns: readonly string[];
  /** Buckets holding Lambda zips (`CreateFunction` reads the code with the caller's permissions). */
  readonly lambdaCodeBuckets: readonly string[];
  /** Bucket name patterns the S3 controller may manage. */
  readonly s3BucketNamePatterns: readonly string[];
  /** Bucket name patterns whose bucket policy the S3 controller may read, set and delete (never `*`). */
  readonly s3BucketPolicyNamePatterns: readonly string[];
  /** Queue name patterns the SQS controller may manage. */
  readonly sqsQueueNamePatterns: readonly string[];
  readonly alarmNamePatterns: readonly string[];
  readonly topicNamePatterns: readonly string[];
}

export function defaultPassableRoles(cluster: ClusterConfig): string[] {
  return [clusterRoleArnPattern(cluster)];
}

function passRole(sid: string, roles: readonly string[], service: string): PolicyStatement {
  return { sid, actions: ['iam:PassRole'], resources: roles, conditions: { StringEquals: { 'iam:PassedToService': service } } };
}

const DESCRIBE_NETWORK: PolicyStatement = {
  sid: 'DescribeNetwork',
  actions: ['ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeSecurityGroups', 'ec2:DescribeAvailabilityZones'],
  // EC2 Describe* calls support no resource-level permissions.
  resources: ['*'],
};

export function rdsPermissions(cluster: ClusterConfig): PolicyStatement[] {
  const rds = regionalArnPrefix(cluster, 'rds');
  const partition = partitionOf(cluster.region);
  const crud = (noun: string, extra: string[] = []) => [`rds:Create${noun}`, `rds:Delete${noun}`, `rds:Modify${noun}`, ...extra];
  return [
    {
      sid: 'ManageRdsResources',
      actions: [
        ...crud('DBInstance', ['rds:DescribeDBInstances', 'rds:RebootDBInstance']),
        ...crud('DBCluster', ['rds:DescribeDBClusters']),
        ...crud('DBClusterEndpoint', ['rds:DescribeDBClusterEndpoints']),
        ...crud('DBSubnetGroup', ['rds:DescribeDBSubnetGroups']),
        ...crud('DBParameterGroup', ['rds:DescribeDBParameterGroups', 'rds:DescribeDBParameters', 'rds:ResetDBParameterGroup']),
        ...crud('DBClusterParameterGroup', ['rds:DescribeDBClusterParameterGroups', 'rds:DescribeDBClusterParameters', 'rds:ResetDBClusterParameterGroup']),
        'rds:CreateDBSnapshot',
        'rds:DeleteDBSnapshot',
        'rds:DescribeDBSnapshots',
        'rds:CreateDBClusterSnapshot',
        'rds:DeleteDBClusterSnapshot',
        'rds:DescribeDBClusterSnapshots',
        ...crud('DBProxy', ['rds:DescribeDBProxies', 'rds:RegisterDBProxyTargets', 'rds:DeregisterDBProxyTargets', 'rds:DescribeDBProxyTargets', 'rds:DescribeDBProxyTargetGroups']),
        ...crud('GlobalCluster', ['rds:DescribeGlobalClusters', 'rds:RemoveFromGlobalCluster']),
        'rds:AddTagsToResource',
        'rds:RemoveTagsFromResource',
        'rds:ListTagsForResource',
        'rds:DescribeDBEngineVersions',
        'rds:DescribeOrderableDBInstanceOptions',
      ],
      // Global clusters have no region in their ARN.
      resources: [`${rds}*`, `arn:${partition}:rds::${cluster.account}:global-cluster:*`],
    },
    DESCRIBE_NETWORK,
    {
      // manageMasterUserPassword: RDS creates the secret as the caller; RDS-owned secrets are named `rds!…`.
      sid: 'RdsManagedMasterPasswords',
      actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
      resources: [`${regionalArnPrefix(cluster, 'secretsmanager')}secret:rds!*`],
    },
    {
      sid: 'RdsServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [`arn:${partition}:iam::${cluster.account}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'rds.amazonaws.com' } },
    },
  ];
}

export function lambdaPermissions(cluster: ClusterConfig, options: PermissionOptions): PolicyStatement[] {
  const lambda = regionalArnPrefix(cluster, 'lambda');
  const partition = partitionOf(cluster.region);
  const statements: PolicyStatement[] = [
    {
      sid: 'ManageFunctions',
      actions: [
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:PublishVersion',
        'lambda:ListVersionsByFunction',
        'lambda:CreateAlias',
        'lambda:DeleteAlias',
        'lambda:GetAlias',
        'lambda:UpdateAlias',
        'lambda:AddPermission',
        'lambda:RemovePermission',
        'lambda:GetPolicy',
        'lambda:PutFunctionConcurrency',
        'lambda:DeleteFunctionConcurrency',
        'lambda:GetFunctionConcurrency',
        'lambda:PutFunctionEventInvokeConfig',
        'lambda:UpdateFunctionEventInvokeConfig',
        'lambda:GetFunctionEventInvokeConfig',
        'lambda:DeleteFunctionEventInvokeConfig',
        'lambda:CreateFunctionUrlConfig',
        'lambda:UpdateFunctionUrlConfig',
        'lambda:GetFunctionUrlConfig',
        'lambda:DeleteFunctionUrlConfig',
        'lambda:PutFunctionCodeSigningConfig',
        'lambda:GetFunctionCodeSigningConfig',
        'lambda:DeleteFunctionCodeSigningConfig',
        'lambda:PutProvisionedConcurrencyConfig',
        'lambda:GetProvisionedConcurrencyConfig',
        'lambda:DeleteProvisionedConcurrencyConfig',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:ListTags',
      ],
      resources: [`${lambda}function:*`],
    },
    {
      sid: 'ManageLayersAndCodeSigning',
      actions: [
        'lambda:PublishLayerVersion',
        'lambda:DeleteLayerVersion',
        'lambda:GetLayerVersion',
        'lambda:ListLayerVersions',
        'lambda:CreateCodeSigningConfig',
        'lambda:UpdateCodeSigningConfig',
        'lambda:GetCodeSigningConfig',
        'lambda:DeleteCodeSigningConfig',
      ],
      resources: [`${lambda}layer:*`, `${lambda}code-signing-config:*`],
    },
    {
      sid: 'ManageEventSourceMappings',
      actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping', 'lambda:DeleteEventSourceMapping'],
      resources: [`${lambda}event-source-mapping:*`],
    },
    {
      // Create/List take no resource ARN.
      sid: 'CreateEventSourceMappings',
      actions: ['lambda:CreateEventSourceMapping', 'lambda:ListEventSourceMappings'],
      resources: ['*'],
    },
    passRole('PassExecutionRoles', options.passableRoleArnPatterns, 'lambda.amazonaws.com'),
    DESCRIBE_NETWORK,
  ];
  if (options.lambdaCodeBuckets.length > 0) {
    statements.push({
      sid: 'ReadFunctionCode',
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: options.lambdaCodeBuckets.map((bucket) => `arn:${partition}:s3:::${bucket}/*`),
    });
  }
  return statements;
}

export function eventBridgePermissions(cluster: ClusterConfig, options: PermissionOptions): PolicyStatement[] {
  const events = regionalArnPrefix(cluster, 'events');
  const verbs = (noun: string) => [`events:Create${noun}`, `events:Delete${noun}`, `events:Describe${noun}`, `events:Update${noun}`];
  return [
    {
      sid: 'ManageEventBridge',
      actions: [
        'events:PutRule',
        'events:DeleteRule',
        'events:DescribeRule',
        'events:EnableRule',
        'events:DisableRule',
        'events:PutTargets',
        'events:RemoveTargets',
        'events:ListTargetsByRule',
        ...verbs('EventBus'),
        ...verbs('Archive'),
        ...verbs('Endpoint'),
        'events:TagResource',
        'events:UntagResource',
        'events:ListTagsForResource',
      ],
      resources: [`${events}*`],
    },
    passRole('PassTargetRoles', options.passableRoleArnPatterns, 'events.amazonaws.com'),
  ];
}

export function secretsManagerPermissions(cluster: ClusterConfig): PolicyStatement[] {
  return [
    {
      // No GetSecretValue: the controller never reads values back (aws-chain.md 6.5).
      sid: 'ManageSecrets',
      actions: [
        'secretsmanager:CreateSecret',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:UpdateSecret',
        'secretsmanager:RestoreSecret',
        'secretsmanager:TagResource',
        'secretsmanager:UntagResource',
        'secretsmanager:ReplicateSecretToRegions',
        'secretsmanager:RemoveRegionsFromReplication',
        'secretsmanager:StopReplicationToReplica',
      ],
      resources: [`${regionalArnPrefix(cluster, 'secretsmanager')}secret:*`],
    },
  ];
}

const BUCKET_CONFIGURATIONS = [
  'BucketAcl',
  'BucketCORS',
  'BucketLogging',
  'BucketNotification',
  'BucketOwnershipControls',
  'BucketPublicAccessBlock',
  'BucketTagging',
  'BucketVersioning',
  'BucketWebsite',
  'BucketRequestPayment',
  'EncryptionConfiguration',
  'LifecycleConfiguration',
  'ReplicationConfiguration',
  'AccelerateConfiguration',
  'AnalyticsConfiguration',
  'InventoryConfiguration',
  'MetricsConfiguration',
  'IntelligentTieringConfiguration',
];

export function s3Permissions(cluster: ClusterConfig, options: PermissionOptions): PolicyStatement[] {
  const partition = partitionOf(cluster.region);
  // The platform declares the artifacts bucket through this controller (unit ci-artifacts): it manages its
  // configuration and sets its policy, but never deletes the bucket or its policy, nor grants ACLs.
  const artifacts = cluster.artifacts ? [`arn:${partition}:s3:::${cluster.artifacts.bucket}`] : [];
  return [
    {
      sid: 'ManageBuckets',
      actions: [
        's3:CreateBucket',
        's3:DeleteBucket',
        's3:ListBucket',
        's3:GetBucketLocation',
        ...BUCKET_CONFIGURATIONS.flatMap((configuration) => [`s3:Get${configuration}`, `s3:Put${configuration}`]),
        's3:DeleteBucketWebsite',
        's3:DeleteBucketOwnershipControls',
      ],
      resources: [...options.s3BucketNamePatterns.map((pattern) => `arn:${partition}:s3:::${pattern}`), ...artifacts.filter(() => !options.s3BucketNamePatterns.includes('*'))],
    },
    // A bucket policy grants access to anyone: only on the buckets this controller manages, never '*'.
    ...(options.s3BucketPolicyNamePatterns.length > 0 || artifacts.length > 0
      ? [
          {
            sid: 'ManageBucketPolicies',
            actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
            resources: [...options.s3BucketPolicyNamePatterns.map((pattern) => `arn:${partition}:s3:::${pattern}`), ...artifacts],
          },
        ]
      : []),
    // The artifacts bucket holds the code every Lambda runs: never deleted, never without its policy, never ACL-granted.
    ...(artifacts.length > 0
      ? [
          {
            sid: 'DenyArtifactsBucket',
            effect: 'Deny' as const,
            actions: ['s3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucketAcl', 's3:DeleteBucketOwnershipControls'],
            resources: artifacts,
          },
        ]
      : []),
    { sid: 'FindBuckets', actions: ['s3:ListAllMyBuckets'], resources: ['*'] },
    passRole('PassReplicationRoles', options.passableRoleArnPatterns, 's3.amazonaws.com'),
  ];
}

/**
 * The EKS controller only manages this cluster's Pod Identity associations and access entries
 * (Karpenter's node role joins the cluster through an EKS AccessEntry).
 */
export function eksPermissions(cluster: ClusterConfig, options: PermissionOptions): PolicyStatement[] {
  const clusterArn = eksClusterArn(cluster);
  return [
    {
      sid: 'ManagePodIdentityAssociations',
      actions: [
        'eks:CreatePodIdentityAssociation',
        'eks:DescribePodIdentityAssociation',
        'eks:UpdatePodIdentityAssociation',
        'eks:DeletePodIdentityAssociation',
        'eks:ListPodIdentityAssociations',
        'eks:TagResource',
        'eks:UntagResource',
        'eks:ListTagsForResource',
        'eks:DescribeCluster',
      ],
      resources: [clusterArn, `${regionalArnPrefix(cluster, 'eks')}podidentityassociation/${eksClusterNameOf(cluster)}/*`],
    },
    {
      sid: 'ManageAccessEntries',
      actions: [
        'eks:CreateAccessEntry',
        'eks:DescribeAccessEntry',
        'eks:UpdateAccessEntry',
        'eks:DeleteAccessEntry',
        'eks:ListAccessEntries',
      ],
      resources: [clusterArn, `${regionalArnPrefix(cluster, 'eks')}access-entry/${eksClusterNameOf(cluster)}/*`],
    },
    // EKS checks that the caller may pass the role it associates.
    passRole('PassPodIdentityRoles', [...options.passableRoleArnPatterns, tenantRoleArnPattern(cluster)], 'pods.eks.amazonaws.com'),
  ];
}
