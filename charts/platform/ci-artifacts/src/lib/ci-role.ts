import { Construct } from 'constructs';
import { CI_ROLE_SUFFIX, ciRoleArn, partitionOfRegion, SIGNING_PROFILES, signingJobsArn, signingProfileArn, type ClusterConfig } from '@flotilla/config';
import { ackDeletionPolicy, clusterRoleName, IDENTITY_NAMESPACE, RemovalPolicy } from '@flotilla/constructs';
import { APPCONFIG_SCHEMA_PREFIX, APPCONFIG_SCHEMA_TENANT, policyDocumentJson, trustPolicyJson, type PolicyStatement, type TrustStatement } from '@flotilla/model';
import { TENANT_TAG_KEY } from '@flotilla/workloads';
import * as ackIam from '@flotilla/k8s-apis/ack-iam';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, subjectClaims, type GithubSubject } from './github-oidc';


/** ECR repository names: lowercase path segments, as `docker push` accepts them. */
const ECR_REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

export interface CiRoleProps {
  readonly cluster: ClusterConfig;
  /** GitHub repository `owner/name` whose workflows may assume the role. */
  readonly repository: string;
  /** Subject claims (after `repo:<owner>/<name>:`) trusted. */
  readonly subjects: readonly GithubSubject[];
  /** ECR repositories of the cluster's account the image workflow pushes to. */
  readonly ecrRepositories: readonly string[];
  /** The artifacts bucket's ARN (Lambda zips). */
  readonly artifactsBucketArn: string;
  /** What deleting the Role object does in AWS. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Namespace of the ACK object. @default IDENTITY_NAMESPACE ('ack-system') */
  readonly namespace?: string;
}

/**
 * Trust: GitHub Actions' OIDC provider of the account (`token.actions.githubusercontent.com`, created once per
 * account, see the README), audience `sts.amazonaws.com`, and exactly the given subject claims.
 */
export function ciTrustStatements(cluster: ClusterConfig, repository: string, subjects: readonly GithubSubject[]): TrustStatement[] {
  return [
    {
      principal: { Federated: `arn:${partitionOfRegion(cluster.region)}:iam::${cluster.account}:oidc-provider/${GITHUB_OIDC_HOST}` },
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: subjectClaims(repository, subjects) } },
    },
  ];
}

/**
 * What CI may do, and nothing else:
 * - log in to ECR (`GetAuthorizationToken` has no resource-level permission) and push to the listed repositories
 *   (the layer upload calls, `PutImage`; `BatchGetImage` and `GetDownloadUrlForLayer` because Notation reads the
 *   manifest it signs and pushes the signature as a referrer);
 * - put Lambda zips into the artifacts bucket, and read them back (`GetObject`/`GetObjectVersion`: the signing job
 *   reads the uploaded version with the caller's permissions, and CI copies the signed zip to the content-addressed key);
 * - sign with the fleet's two profiles (`StartSigningJob`, `GetSigningProfile`, `SignPayload`, which Notation's
 *   AWS Signer plugin calls) and follow the signing jobs it starts (`DescribeSigningJob`, for `aws signer wait`);
 * - publish AppConfig profile schemas: create secrets named `flotilla/appconfig/*` of the account and region only,
 *   tagged exactly `tenant=platform` (the tag the platform ClusterSecretStore's ABAC session reads; no other tag key,
 *   so CI cannot make a secret readable by a tenant), and describe or add a version to those secrets.
 */
export function ciRoleStatements(cluster: ClusterConfig, ecrRepositories: readonly string[], artifactsBucketArn: string): PolicyStatement[] {
  const partition = partitionOfRegion(cluster.region);
  const where = { partition, region: cluster.region, account: cluster.account };
  const repositories = [...new Set(ecrRepositories)].sort();
  // Secret ARNs end in `-<6 random characters>`, hence the trailing `*`.
  const appconfigSchemasArn = `arn:${partition}:secretsmanager:${cluster.region}:${cluster.account}:secret:${APPCONFIG_SCHEMA_PREFIX}*`;
  return [
    { sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    {
      sid: 'EcrPush',
      actions: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
      ],
      resources: repositories.map((repository) => `arn:${partition}:ecr:${cluster.region}:${cluster.account}:repository/${repository}`),
    },
    { sid: 'UploadLambdaArtifacts', actions: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion'], resources: [`${artifactsBucketArn}/*`] },
    {
      sid: 'SignWithFleetProfiles',
      actions: ['signer:StartSigningJob', 'signer:GetSigningProfile', 'signer:SignPayload'],
      resources: [signingProfileArn(where, SIGNING_PROFILES.images), signingProfileArn(where, SIGNING_PROFILES.lambda)],
    },
    { sid: 'FollowSigningJobs', actions: ['signer:DescribeSigningJob'], resources: [signingJobsArn(where)] },
    {
      sid: 'CreateAppConfigSchemas',
      actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
      resources: [appconfigSchemasArn],
      conditions: {
        StringEquals: { [`aws:RequestTag/${TENANT_TAG_KEY}`]: APPCONFIG_SCHEMA_TENANT },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_TAG_KEY] },
      },
    },
    { sid: 'UpdateAppConfigSchemas', actions: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'], resources: [appconfigSchemasArn] },
  ];
}

/**
 * The IAM role GitHub Actions assumes through OIDC (`aws-actions/configure-aws-credentials` with `role-to-assume`):
 * `<eks>-github-ci`, one inline policy `ci` = {@link ciRoleStatements}, session at most one hour.
 */
export class CiRole extends Construct {
  readonly roleName: string;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: CiRoleProps) {
    super(scope, id);
    const { cluster } = props;
    if (props.ecrRepositories.length === 0) {
      throw new Error(`ci-artifacts: 'ecrRepositories' is empty; list the ECR repositories of account ${cluster.account} the image workflow pushes to, e.g. ['dj/http-echo']`);
    }
    for (const repository of props.ecrRepositories) {
      if (!ECR_REPOSITORY.test(repository) || /^[^/]*\.amazonaws\.com(\.cn)?\//.test(repository)) {
        throw new Error(`ci-artifacts: ECR repository '${repository}' must be a repository name of the cluster's account (lowercase, '/'-separated, no registry host or tag), e.g. 'dj/http-echo'`);
      }
    }
    this.roleName = clusterRoleName(cluster, CI_ROLE_SUFFIX);
    this.roleArn = ciRoleArn(cluster);
    new ackIam.Role(this, 'Resource', {
      metadata: { name: CI_ROLE_SUFFIX, namespace: props.namespace ?? IDENTITY_NAMESPACE, annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN) },
      spec: {
        name: this.roleName,
        description: `GitHub Actions of ${props.repository}: ECR push, Lambda artifact upload, AWS Signer, AppConfig schemas (managed by Flotilla)`,
        assumeRolePolicyDocument: trustPolicyJson(ciTrustStatements(cluster, props.repository, props.subjects)),
        maxSessionDuration: 3600,
        inlinePolicies: { ci: policyDocumentJson(ciRoleStatements(cluster, props.ecrRepositories, props.artifactsBucketArn)) },
        tags: [{ key: 'flotilla.dev/cluster', value: cluster.name }],
      },
    });
  }
}
