import { CiRunner, type FleetCi } from '@flotilla/config';

/**
 * The fleet's CI settings, which the workflows read with `flotilla ci-settings` (README "CI workflows"): images are
 * pushed to dev's ECR, signed with dev's `flotilla_images` profile, and pinned on dev's stage first.
 *
 * The build runs on a GitHub-hosted runner; to run it on AWS CodeBuild-hosted runners instead, create a CodeBuild
 * project with a GitHub webhook (`WORKFLOW_JOB_QUEUED`) and set `runner: CiRunner.codebuild('<project>')`.
 */
export const ci: FleetCi = {
  imageBuild: { cluster: 'dev', runner: CiRunner.githubHosted('ubuntu-latest') },
};
