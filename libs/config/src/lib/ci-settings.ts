import { deployedPackage, type LambdaArtifact, type SignedLambdaArtifacts } from '@flotilla/model';
import type { ClusterConfig } from './cluster-config';
import { partitionOfRegion } from './partition';

/**
 * The IAM role GitHub Actions assumes in a cluster's account is `<eks cluster name>-github-ci` (declared by the
 * `ci-artifacts` platform unit; within the ACK IAM controller's `<eks>-*` role prefix).
 */
export const CI_ROLE_SUFFIX = 'github-ci';

/** ARN of the CI role of a cluster's account: what `aws-actions/configure-aws-credentials` assumes. */
export function ciRoleArn(cluster: Pick<ClusterConfig, 'name' | 'eksClusterName' | 'account' | 'region'>): string {
  return `arn:${partitionOfRegion(cluster.region)}:iam::${cluster.account}:role/${cluster.eksClusterName ?? cluster.name}-${CI_ROLE_SUFFIX}`;
}

/** Where a CI job runs. Create with {@link CiRunner.githubHosted} or {@link CiRunner.codebuild}. */
export class CiRunner {
  /** A GitHub-hosted runner label, e.g. `ubuntu-latest` or `ubuntu-24.04-arm`. */
  static githubHosted(label = 'ubuntu-latest'): CiRunner {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(label)) throw new Error(`CiRunner.githubHosted: label '${label}' is not a runner label; e.g. 'ubuntu-latest'`);
    return new CiRunner('github-hosted', label);
  }

  /**
   * An AWS CodeBuild-hosted runner of CodeBuild project `project` (its webhook filters `WORKFLOW_JOB_QUEUED`); the job's
   * label is `codebuild-<project>-<run id>-<run attempt>`, which CodeBuild matches to start one build per job.
   *
   * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
   */
  static codebuild(project: string): CiRunner {
    // CodeBuild project names: 2-255 letters, digits, '-' and '_', starting with a letter or digit.
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/.test(project)) {
      throw new Error(`CiRunner.codebuild: project '${project}' is not a CodeBuild project name (2-255 letters, digits, '-', '_', starting with a letter or digit)`);
    }
    return new CiRunner('codebuild', project);
  }

  private constructor(
    readonly kind: 'github-hosted' | 'codebuild',
    /** The GitHub-hosted label, or the CodeBuild project. */
    readonly name: string,
  ) {}

  /** The job's `runs-on` label for one workflow run. */
  runsOn(runId: string, runAttempt: string): string {
    return this.kind === 'codebuild' ? `codebuild-${this.name}-${runId}-${runAttempt}` : this.name;
  }
}

/** The fleet's CI settings: what the workflows read through `flotilla ci-settings`. */
export interface FleetCi {
  /** The image-build workflow (`.github/workflows/image-build.yml`). */
  readonly imageBuild: {
    /**
     * The cluster whose account's ECR receives new images, signed with its `flotilla_images` profile; the pull
     * request sets the pin of this cluster's stage (`flotilla set-image --stage <its environment>`).
     */
    readonly cluster: string;
    /** Where the build job runs. @default CiRunner.githubHosted('ubuntu-latest') */
    readonly runner?: CiRunner;
  };
}

/**
 * S3 key of a Lambda zip in the cluster's artifacts bucket: `<artifacts.prefix>/<fileName>` (no prefix: the file name).
 * The ACK Functions reference it and the artifacts workflow uploads to it.
 */
export function artifactObjectKey(cluster: Pick<ClusterConfig, 'artifacts'>, fileName: string): string {
  const prefix = (cluster.artifacts?.prefix ?? '').replace(/^\/+|\/+$/g, '');
  return prefix ? `${prefix}/${fileName}` : fileName;
}

/**
 * `spec.code` key and digest of a cluster's ACK Function: its signed copy (`<prefix>/signed/<fileName>`, the signed
 * zip's digest) when `signed` records one for this build and cluster, else the unsigned zip. ACK lambda-controller
 * calls UpdateFunctionCode only when `sha256` differs from the deployed package's `CodeSha256`, never for an `s3Key`
 * change alone, so `sha256` must be the digest of exactly the package `s3Key` names.
 */
export function lambdaCode(cluster: Pick<ClusterConfig, 'name' | 'artifacts'>, artifact: Pick<LambdaArtifact, 'fileName' | 'sha256'>, signed: SignedLambdaArtifacts | undefined): { s3Key: string; sha256: string } {
  const deployed = deployedPackage(artifact, signed, cluster.name);
  return { s3Key: artifactObjectKey(cluster, deployed.objectName), sha256: deployed.sha256 };
}
