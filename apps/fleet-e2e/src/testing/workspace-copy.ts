import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findRepoRoot } from '@flotilla/model';

/** The repository this test runs in. */
export const repoRoot = findRepoRoot(__dirname);

/**
 * Copies the workspace (tracked and untracked, not ignored files) into a fresh git repository in a
 * temp folder, with node_modules linked, and commits it: a sandbox where tests may run synth, Nx
 * and git without touching the real working tree.
 */
export function copyWorkspace(): string {
  const target = mkdtempSync(join(tmpdir(), 'flotilla-ws-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file.length > 0);
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    try {
      copyFileSync(join(repoRoot, file), join(target, file));
    } catch {
      // Listed but deleted in the working tree: the copy mirrors the working tree.
    }
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(target, 'node_modules'), 'dir');
  git(target, 'init', '-q', '-b', 'main');
  git(target, 'add', '-A');
  git(target, '-c', 'user.name=flotilla-test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'base');
  return target;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/** Runs a workspace binary (node_modules/.bin first on PATH, as npm scripts do). */
export function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  // spawnSync, not execFileSync: a command that succeeds may still have something to say on stderr.
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(repoRoot, 'node_modules/.bin')}:${process.env.PATH}`, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: plain(result.stdout ?? ''), stderr: plain(result.stderr ?? '') };
}

/** Without terminal colour codes: Nx colours its output when CI=true, whatever the terminal. */
export function plain(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
