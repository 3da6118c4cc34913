import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PublishError } from './publish-error';
import type { TarEntry } from './tar';

/** The commit a publish describes. */
export interface GitRevision {
  readonly commit: string;
  /** The checked-out branch, or the fallback when HEAD is detached (CI checkouts). */
  readonly branch: string;
  /** Commit time, RFC 3339 UTC. */
  readonly committed: string;
}

function git(repoRoot: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new PublishError(undefined, `git ${args.join(' ')} failed in ${repoRoot}: ${stderr || (error as Error).message}; publish runs in a Git checkout with at least one commit`);
  }
}

export function gitRevision(repoRoot: string, fallbackBranch: string): GitRevision {
  const commit = git(repoRoot, ['rev-parse', 'HEAD']).trim();
  const branch = git(repoRoot, ['rev-parse', '--abbrev-ref', 'HEAD']).trim();
  const seconds = Number(git(repoRoot, ['show', '-s', '--format=%ct', 'HEAD']).trim());
  return { commit, branch: branch === 'HEAD' ? fallbackBranch : branch, committed: new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z') };
}

/**
 * The committed files of a cluster folder, with their repository-relative paths. Refuses a folder with uncommitted or
 * untracked changes: the artifact's revision annotation must describe exactly what it holds.
 */
export function committedTree(repoRoot: string, folder: string, cluster: string): TarEntry[] {
  const dirty = git(repoRoot, ['status', '--porcelain', '--untracked-files=all', '--', folder]).trim();
  if (dirty) {
    const lines = dirty.split('\n');
    throw new PublishError(
      cluster,
      `${folder}/ has uncommitted changes (${lines.slice(0, 3).map((l) => l.trim()).join(', ')}${lines.length > 3 ? `, … ${lines.length} in all` : ''}); commit them first: the artifact is annotated with the commit it was built from`,
    );
  }
  const files = git(repoRoot, ['ls-files', '-z', '--', folder]).split('\0').filter((file) => file !== '');
  if (files.length === 0) throw new PublishError(cluster, `${folder}/ holds no committed files; run 'npm run synth' and commit clusters/`);
  // Repository-relative paths: Kustomization paths (./clusters/<c>/…) mean the same in Git and in the artifact.
  return files.map((file) => ({ path: file, content: readFileSync(path.join(repoRoot, file)) }));
}
