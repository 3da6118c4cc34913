import type { ClusterConfig } from '@flotilla/config';

/** GitHub Actions' OIDC issuer host, as IAM names the provider and its condition keys. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** `owner/name` of a GitHub repository: letters, digits, '.', '_' and '-'. */
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;

/**
 * The GitHub repository `owner/name` of the cluster's Git source (`ssh://git@github.com/o/r`, `git@github.com:o/r.git`,
 * `https://github.com/o/r`), or undefined when the source is not on github.com.
 */
export function githubRepositoryOf(cluster: Pick<ClusterConfig, 'git'>): string | undefined {
  const match = /^(?:ssh:\/\/git@github\.com[/:]|git@github\.com:|https:\/\/github\.com\/)([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(cluster.git.url);
  return match?.[1];
}

/** Checks an explicit repository name; the message names the prop. */
export function checkRepository(repository: string): string {
  if (!REPOSITORY.test(repository)) throw new Error(`ci-artifacts: 'repository' ('${repository}') must be a GitHub repository as 'owner/name', e.g. 'example-org/flotilla-fleet'`);
  return repository;
}

/**
 * A workflow run's OIDC subject claims this role trusts, after `repo:<owner>/<name>:`. GitHub sets
 * `ref:refs/heads/<branch>` for a push, and `environment:<name>` for a job bound to a GitHub Environment
 * (whatever the event, pull requests included).
 *
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
 */
export type GithubSubject = `ref:refs/heads/${string}` | `environment:${string}`;

/** The full `sub` claim values: `repo:<owner>/<name>:<subject>`. */
export function subjectClaims(repository: string, subjects: readonly GithubSubject[]): string[] {
  if (subjects.length === 0) throw new Error(`ci-artifacts: 'subjects' is empty, so no workflow could assume the CI role; e.g. ['ref:refs/heads/main', 'environment:artifacts']`);
  for (const subject of subjects) {
    if (!/^(ref:refs\/heads\/[A-Za-z0-9._/-]+|environment:[A-Za-z0-9._-]+)$/.test(subject) || subject.includes('*')) {
      throw new Error(`ci-artifacts: subject '${subject}' must be 'ref:refs/heads/<branch>' or 'environment:<name>' without wildcards; a pull request's own subject ('pull_request') would let any branch assume the role`);
    }
  }
  return [...new Set(subjects)].sort().map((subject) => `repo:${repository}:${subject}`);
}
