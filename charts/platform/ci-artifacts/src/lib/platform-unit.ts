import { ackHealthCheck, ciRoleArn, unitCallSite, type HealthCheckExpr, type StagePins, type Unit } from '@flotilla/config';
import type { RemovalPolicy } from '@flotilla/constructs';
import { ArtifactsBucket, type ArtifactsEncryption } from './artifacts-bucket';
import { CiRole } from './ci-role';
import { checkRepository, githubRepositoryOf, type GithubSubject } from './github-oidc';

/** The unit's name (= the Nx project of `charts/platform/ci-artifacts`). */
export const CI_ARTIFACTS_UNIT = 'ci-artifacts';

/**
 * The GitHub Environment the artifacts workflow's upload job runs in: pull requests get the role only through it
 * (a pull request's own subject is `pull_request`, which the role never trusts).
 */
export const ARTIFACTS_ENVIRONMENT = 'artifacts';

/** Flux waits until ACK has synced the bucket and the role (or they are terminal). */
export const CI_ARTIFACTS_HEALTH_CHECKS: readonly HealthCheckExpr[] = [
  ackHealthCheck('s3.services.k8s.aws/v1alpha1', 'Bucket'),
  ackHealthCheck('iam.services.k8s.aws/v1alpha1', 'Role'),
];

export interface CiArtifactsProps {
  /**
   * ECR repositories of the cluster's account the image workflow pushes to (see {@link ecrRepositoriesOf}).
   */
  readonly ecrRepositories: readonly string[];
  /** GitHub repository `owner/name` whose workflows assume the CI role. @default - the cluster's Git source, when it is on github.com */
  readonly repository?: string;
  /**
   * OIDC subjects trusted, after `repo:<owner>/<name>:`.
   *
   * @default ['ref:refs/heads/<cluster.git.branch ?? main>', 'environment:artifacts']
   */
  readonly subjects?: readonly GithubSubject[];
  /** Default encryption of the artifacts bucket. @default { type: 'sse-s3' } */
  readonly encryption?: ArtifactsEncryption;
  /** What deleting the Bucket and Role objects does in AWS. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The repositories (no registry host) of a stage's pins: the images the cluster pulls from its own ECR. */
export function ecrRepositoriesOf(pins: StagePins): string[] {
  const repositories = Object.values(pins)
    .flatMap((unit) => Object.values(unit))
    .map((ref) => ref.split('@')[0]!.replace(/:[^/:]+$/, ''))
    .filter((repository) => {
      const first = repository.split('/')[0]!;
      return !(repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost'));
    });
  return [...new Set(repositories)].sort();
}

/**
 * `ci-artifacts` (infra-configs, after the ACK controllers): the cluster's artifacts bucket (`cluster.artifacts.bucket`,
 * where CI uploads the Lambda zips the ACK Functions reference) and the IAM role GitHub Actions assumes through OIDC
 * to push images to ECR, upload those zips and sign both with AWS Signer.
 */
export function ciArtifacts(props: CiArtifactsProps): Unit[] {
  return [
    {
      name: CI_ARTIFACTS_UNIT,
      project: CI_ARTIFACTS_UNIT,
      createdAt: unitCallSite(),
      layer: 'infra-configs',
      flux: { healthCheckExprs: CI_ARTIFACTS_HEALTH_CHECKS },
      render(scope, { cluster }) {
        const repository = props.repository !== undefined ? checkRepository(props.repository) : githubRepositoryOf(cluster);
        if (!repository) {
          throw new Error(`ci-artifacts: cluster '${cluster.name}' pulls from '${cluster.git.url}', which is not a github.com repository; set 'repository' to the GitHub 'owner/name' whose workflows publish`);
        }
        const subjects = props.subjects ?? [`ref:refs/heads/${cluster.git.branch ?? 'main'}` as const, `environment:${ARTIFACTS_ENVIRONMENT}` as const];
        // Both ARNs derive from names, so the bucket policy names the role before ACK has created it.
        const bucket = new ArtifactsBucket(scope, 'Bucket', { cluster, writerRoleArn: ciRoleArn(cluster), encryption: props.encryption, removalPolicy: props.removalPolicy });
        new CiRole(scope, 'CiRole', { cluster, repository, subjects, ecrRepositories: props.ecrRepositories, artifactsBucketArn: bucket.bucketArn, removalPolicy: props.removalPolicy });
      },
    },
  ];
}
