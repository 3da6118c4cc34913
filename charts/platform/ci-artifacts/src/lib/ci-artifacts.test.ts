import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import { ciArtifacts, ecrRepositoriesOf, type CiArtifactsProps } from './platform-unit';

// GIVEN a prod cluster in account 222222222222 whose fleet repository is on GitHub
const cluster = fixtureCluster('prod', [], {
  account: '222222222222',
  region: 'eu-north-1',
  eksClusterName: 'prod-eks',
  git: { url: 'ssh://git@github.com/example-org/flotilla-fleet', branch: 'main' },
  artifacts: { bucket: 'flotilla-artifacts-222222222222-eu-north-1' },
});
const render = (props: Partial<CiArtifactsProps> = {}, on = cluster) => renderUnit(ciArtifacts({ ecrRepositories: ['dj/http-echo', 'imagegen/comfyui'], ...props })[0]!, on);
const spec = (object: KubeObject) => object.spec as Record<string, any>;
const BUCKET = 'arn:aws:s3:::flotilla-artifacts-222222222222-eu-north-1';
const ROLE = 'arn:aws:iam::222222222222:role/prod-eks-github-ci';

describe('ci-artifacts platform unit', () => {
  it('is one infra-configs unit that waits for the bucket and the role to sync', () => {
    const [unit] = ciArtifacts({ ecrRepositories: ['dj/http-echo'] });
    expect([unit!.name, unit!.project, unit!.layer]).toEqual(['ci-artifacts', 'ci-artifacts', 'infra-configs']);
    expect(unit!.flux?.healthCheckExprs?.map((h) => h.kind)).toEqual(['Bucket', 'Role']);
  });

  it('declares the artifacts bucket versioned, encrypted, closed to the public, retained, with the exact policy', () => {
    const bucket = findObject(render(), 'Bucket');
    expect(bucket.metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect(spec(bucket)).toMatchObject({
      name: 'flotilla-artifacts-222222222222-eu-north-1',
      createBucketConfiguration: { locationConstraint: 'eu-north-1' },
      versioning: { status: 'Enabled' },
      encryption: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] },
      publicAccessBlock: { blockPublicACLs: true, blockPublicPolicy: true, ignorePublicACLs: true, restrictPublicBuckets: true },
      ownershipControls: { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(JSON.parse(spec(bucket).policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        {
          Sid: 'OnlyTheCiRoleWritesObjects',
          Effect: 'Deny',
          Principal: '*',
          Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectVersionAcl', 's3:DeleteObject', 's3:DeleteObjectVersion'],
          Resource: `${BUCKET}/*`,
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': ROLE } },
        },
      ],
    });
  });

  it('encrypts with a customer-managed KMS key when given one', () => {
    const key = 'arn:aws:kms:eu-north-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(spec(findObject(render({ encryption: { type: 'sse-kms', kmsKeyArn: key } }), 'Bucket')).encryption).toEqual({
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyID: key }, bucketKeyEnabled: true }],
    });
  });

  it('declares the CI role trusted by GitHub OIDC for main and the artifacts environment only, with exact least-privilege statements', () => {
    const role = findObject(render(), 'Role');
    expect(role.metadata.annotations).toEqual({ 'services.k8s.aws/deletion-policy': 'retain' });
    expect(spec(role)).toMatchObject({ name: 'prod-eks-github-ci', maxSessionDuration: 3600 });
    expect(JSON.parse(spec(role).assumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': ['repo:example-org/flotilla-fleet:environment:artifacts', 'repo:example-org/flotilla-fleet:ref:refs/heads/main'],
            },
          },
        },
      ],
    });
    const signer = 'arn:aws:signer:eu-north-1:222222222222:/signing-profiles';
    expect(JSON.parse(spec(role).inlinePolicies.ci)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Sid: 'EcrPush',
          Effect: 'Allow',
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Resource: ['arn:aws:ecr:eu-north-1:222222222222:repository/dj/http-echo', 'arn:aws:ecr:eu-north-1:222222222222:repository/imagegen/comfyui'],
        },
        { Sid: 'UploadLambdaArtifacts', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion'], Resource: `${BUCKET}/*` },
        {
          Sid: 'SignWithFleetProfiles',
          Effect: 'Allow',
          Action: ['signer:StartSigningJob', 'signer:GetSigningProfile', 'signer:SignPayload'],
          Resource: [`${signer}/flotilla_images`, `${signer}/flotilla_lambda`],
        },
        { Sid: 'FollowSigningJobs', Effect: 'Allow', Action: 'signer:DescribeSigningJob', Resource: 'arn:aws:signer:eu-north-1:222222222222:/signing-jobs/*' },
        // AppConfig profile schemas: only under flotilla/appconfig/, only tagged tenant=platform (the platform store's ABAC tag).
        {
          Sid: 'CreateAppConfigSchemas',
          Effect: 'Allow',
          Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
          Resource: 'arn:aws:secretsmanager:eu-north-1:222222222222:secret:flotilla/appconfig/*',
          Condition: { StringEquals: { 'aws:RequestTag/tenant': 'platform' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant'] } },
        },
        {
          Sid: 'UpdateAppConfigSchemas',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'],
          Resource: 'arn:aws:secretsmanager:eu-north-1:222222222222:secret:flotilla/appconfig/*',
        },
      ],
    });
  });

  it('takes the ECR repositories from a stage pins: images without a registry host', () => {
    expect(
      ecrRepositoriesOf({
        web: { web: 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@sha256:' + 'a'.repeat(64) },
        dj: { v1: 'dj/http-echo:1.0.0@sha256:' + 'b'.repeat(64), v2: 'dj/http-echo:1.2.0@sha256:' + 'c'.repeat(64) },
        gpu: { comfyui: 'imagegen/comfyui@sha256:' + 'd'.repeat(64) },
      }),
    ).toEqual(['dj/http-echo', 'imagegen/comfyui']);
  });

  it('fails if the cluster has no artifacts bucket, naming the field', () => {
    expect(() => render({}, { ...cluster, artifacts: undefined })).toThrow(/cluster 'prod' has no 'artifacts.bucket'; set artifacts: \{ bucket: c.bucketName\('flotilla-artifacts'\) \}/);
  });

  it('fails if the fleet repository is not on GitHub and no repository is given', () => {
    expect(() => render({}, { ...cluster, git: { url: 'ssh://git@gitlab.com/org/fleet' } })).toThrow(/not a github.com repository; set 'repository'/);
    expect(JSON.parse(spec(findObject(render({ repository: 'org/fleet' }, { ...cluster, git: { url: 'ssh://git@gitlab.com/org/fleet' } }), 'Role')).assumeRolePolicyDocument).Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toContain('repo:org/fleet:ref:refs/heads/main');
  });

  it.each([['pull_request'], ['ref:refs/heads/*'], ['environment:']])('fails if subject %s would trust more than a branch or an environment', (subject) => {
    expect(() => render({ subjects: [subject as 'environment:x'] })).toThrow(/must be 'ref:refs\/heads\/<branch>' or 'environment:<name>' without wildcards/);
  });

  it('fails on an empty or malformed ECR repository list and on a malformed KMS key', () => {
    expect(() => render({ ecrRepositories: [] })).toThrow(/'ecrRepositories' is empty/);
    expect(() => render({ ecrRepositories: ['222222222222.dkr.ecr.eu-north-1.amazonaws.com/dj/http-echo'] })).toThrow(/must be a repository name of the cluster's account/);
    expect(() => render({ encryption: { type: 'sse-kms', kmsKeyArn: 'alias/mine' } })).toThrow(/'encryption.kmsKeyArn' \('alias\/mine'\) must be a KMS key or alias ARN/);
  });
});
