import { Construct } from 'constructs';
import type { ClusterConfig } from '@flotilla/config';
import { ackDeletionPolicy, IDENTITY_NAMESPACE, partitionOf, RemovalPolicy } from '@flotilla/constructs';
import { policyDocumentJson, type PolicyStatement } from '@flotilla/model';
import * as ackS3 from '@flotilla/k8s-apis/ack-s3';

/** How the artifacts bucket encrypts objects at rest. */
export type ArtifactsEncryption = { readonly type: 'sse-s3' } | { readonly type: 'sse-kms'; readonly kmsKeyArn: string };

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|alias\/[A-Za-z0-9/_-]+)$/;

export interface ArtifactsBucketProps {
  readonly cluster: ClusterConfig;
  /** The only principal that may write objects (the CI role). */
  readonly writerRoleArn: string;
  /** Default encryption of new objects. @default { type: 'sse-s3' } (AES256, S3-managed keys) */
  readonly encryption?: ArtifactsEncryption;
  /** What deleting the Bucket object does in AWS. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Namespace of the ACK object. @default IDENTITY_NAMESPACE ('ack-system') */
  readonly namespace?: string;
}

/**
 * The bucket policy: TLS only for everyone, and object writes (put, delete, ACLs) by `writerRoleArn` only, so the
 * Lambda zips a Function references can come from CI alone. Deny statements, so no identity policy can widen them.
 */
export function artifactsBucketPolicyStatements(bucketArn: string, writerRoleArn: string): PolicyStatement[] {
  return [
    {
      sid: 'DenyInsecureTransport',
      effect: 'Deny',
      principal: '*',
      actions: ['s3:*'],
      resources: [bucketArn, `${bucketArn}/*`],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      sid: 'OnlyTheCiRoleWritesObjects',
      effect: 'Deny',
      principal: '*',
      actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectVersionAcl', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [`${bucketArn}/*`],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': writerRoleArn } },
    },
  ];
}

/**
 * The cluster's artifacts bucket (`cluster.artifacts.bucket`), where CI uploads the Lambda zips the ACK Functions
 * reference: versioned (an overwritten zip can be restored), encrypted by default, every kind of public access
 * blocked, ACLs disabled (`BucketOwnerEnforced`), and the policy of {@link artifactsBucketPolicyStatements}.
 *
 * @stateful retained when pruned unless `removalPolicy` says otherwise
 */
export class ArtifactsBucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: ArtifactsBucketProps) {
    super(scope, id);
    const { cluster } = props;
    if (!cluster.artifacts) {
      throw new Error(`ci-artifacts: cluster '${cluster.name}' has no 'artifacts.bucket'; set artifacts: { bucket: c.bucketName('flotilla-artifacts') } in its index.ts`);
    }
    const encryption = props.encryption ?? { type: 'sse-s3' };
    if (encryption.type === 'sse-kms' && !KMS_KEY_ARN.test(encryption.kmsKeyArn)) {
      throw new Error(`ci-artifacts: 'encryption.kmsKeyArn' ('${encryption.kmsKeyArn}') must be a KMS key or alias ARN, e.g. 'arn:aws:kms:${cluster.region}:${cluster.account}:key/<uuid>'`);
    }
    this.bucketName = cluster.artifacts.bucket;
    this.bucketArn = `arn:${partitionOf(cluster.region)}:s3:::${this.bucketName}`;
    new ackS3.Bucket(this, 'Resource', {
      metadata: { name: 'artifacts', namespace: props.namespace ?? IDENTITY_NAMESPACE, annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN) },
      spec: {
        name: this.bucketName,
        createBucketConfiguration: { locationConstraint: cluster.region },
        versioning: { status: 'Enabled' },
        encryption: {
          rules: [
            encryption.type === 'sse-kms'
              ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: encryption.kmsKeyArn }, bucketKeyEnabled: true }
              : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true },
          ],
        },
        publicAccessBlock: { blockPublicAcLs: true, blockPublicPolicy: true, ignorePublicAcLs: true, restrictPublicBuckets: true },
        ownershipControls: { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] },
        policy: policyDocumentJson(artifactsBucketPolicyStatements(this.bucketArn, props.writerRoleArn)),
        tagging: { tagSet: [{ key: 'flotilla.dev/cluster', value: cluster.name }] },
      },
    });
  }
}
