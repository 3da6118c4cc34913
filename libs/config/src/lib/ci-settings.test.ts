import { describe, expect, it } from 'vitest';
import { artifactObjectKey, ciRoleArn, CiRunner, lambdaCode } from './ci-settings';
import { defineFleet } from './fleet';
import { signingJobsArn, signingProfileArn, SIGNING_PROFILES } from './signing-profiles';

describe('CI settings', () => {
  it('labels a CodeBuild-hosted job codebuild-<project>-<run id>-<run attempt>, a GitHub-hosted one by its label', () => {
    expect(CiRunner.codebuild('flotilla-image-build').runsOn('4242', '2')).toBe('codebuild-flotilla-image-build-4242-2');
    expect(CiRunner.githubHosted().runsOn('4242', '2')).toBe('ubuntu-latest');
    expect(CiRunner.githubHosted('ubuntu-24.04-arm').runsOn('1', '1')).toBe('ubuntu-24.04-arm');
  });

  it('fails on a CodeBuild project name or runner label AWS or GitHub would not accept', () => {
    expect(() => CiRunner.codebuild('my project')).toThrow(/project 'my project' is not a CodeBuild project name/);
    expect(() => CiRunner.codebuild('-x')).toThrow(/starting with a letter or digit/);
    expect(() => CiRunner.githubHosted('ubuntu latest')).toThrow(/label 'ubuntu latest' is not a runner label/);
  });

  it('derives the CI role, the signing profiles and the artifact key from the cluster', () => {
    expect(ciRoleArn({ name: 'prod', eksClusterName: 'prod-eks', account: '222222222222', region: 'eu-north-1' })).toBe('arn:aws:iam::222222222222:role/prod-eks-github-ci');
    expect(ciRoleArn({ name: 'cn', account: '333333333333', region: 'cn-north-1' })).toBe('arn:aws-cn:iam::333333333333:role/cn-github-ci');
    const where = { partition: 'aws' as const, region: 'eu-north-1', account: '111111111111' };
    expect(Object.values(SIGNING_PROFILES).map((profile) => signingProfileArn(where, profile))).toEqual([
      'arn:aws:signer:eu-north-1:111111111111:/signing-profiles/flotilla_images',
      'arn:aws:signer:eu-north-1:111111111111:/signing-profiles/flotilla_lambda',
    ]);
    expect(signingJobsArn(where)).toBe('arn:aws:signer:eu-north-1:111111111111:/signing-jobs/*');
    expect(artifactObjectKey({ artifacts: { bucket: 'b', prefix: '/lambda/' } }, 'app-0123456789abcdef.zip')).toBe('lambda/app-0123456789abcdef.zip');
    expect(artifactObjectKey({ artifacts: { bucket: 'b' } }, 'app-0123456789abcdef.zip')).toBe('app-0123456789abcdef.zip');
  });

  it('fails a fleet whose image build names a cluster it does not have', () => {
    expect(() => defineFleet({ clusters: [], ci: { imageBuild: { cluster: 'dev' } } })).toThrow(/'ci.imageBuild.cluster' is 'dev', which is not a cluster of the fleet/);
  });

  it("points a Function at the cluster's signed copy with that package's digest, else at the zip", () => {
    const artifact = { fileName: 'app-0123456789abcdef.zip', sha256: 'U'.repeat(43) + '=' };
    const signed = { fileName: artifact.fileName, clusters: { prod: { sha256: 'S'.repeat(43) + '=', sha256Hex: '', size: 1 } } };
    const prod = { name: 'prod', artifacts: { bucket: 'b', prefix: 'lambda' } };
    expect(lambdaCode(prod, artifact, signed)).toEqual({ s3Key: 'lambda/signed/app-0123456789abcdef.zip', sha256: 'S'.repeat(43) + '=' });
    // Another cluster, an older build's record or none: the unsigned zip (a CodeSigningConfig with Enforce rejects it; validate says so).
    expect(lambdaCode({ ...prod, name: 'dev' }, artifact, signed)).toEqual({ s3Key: 'lambda/app-0123456789abcdef.zip', sha256: artifact.sha256 });
    expect(lambdaCode(prod, artifact, { ...signed, fileName: 'app-fedcba9876543210.zip' })).toEqual({ s3Key: 'lambda/app-0123456789abcdef.zip', sha256: artifact.sha256 });
    expect(lambdaCode(prod, artifact, undefined).s3Key).toBe('lambda/app-0123456789abcdef.zip');
  });
});
