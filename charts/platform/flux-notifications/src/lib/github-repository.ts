/**
 * The `https://github.com/<owner>/<repo>` address of a Git clone URL (`ssh://git@github.com/o/r`,
 * `git@github.com:o/r.git`, `https://github.com/o/r.git`), or undefined when it is not a GitHub repository.
 */
export function githubRepositoryAddress(url: string): string | undefined {
  const match = /^(?:ssh:\/\/git@github\.com\/|git@github\.com:|https:\/\/github\.com\/)([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url);
  return match ? `https://github.com/${match[1]}/${match[2]}` : undefined;
}
