import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The synth entry point, relative to the repository root. */
export const SYNTH_CLI = 'apps/fleet/bin/flotilla.js';
/** Where revisions from before the fleet became an application keep it; a base that old still renders itself. */
export const LEGACY_SYNTH_CLIS: readonly string[] = ['libs/cli/bin/flotilla.js'];

export interface RenderBaseOptions {
  /** Root of the git repository (the folder holding `clusters/`). */
  readonly repoRoot: string;
  /** Any git revision: a branch, tag, commit, `HEAD~1`, `origin/main`. */
  readonly base: string;
  /**
   * How long the base's synth may run before it is stopped and the committed tree is used.
   * @default 300000 (5 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * Arguments after `node` for the base's synth, run inside the worktree.
   * @default [SYNTH_CLI (or the first of LEGACY_SYNTH_CLIS the base has), 'synth']
   */
  readonly synthArgs?: readonly string[];
}

export interface BaseTree {
  /** The worktree root; its `clusters/` folder holds the base render. */
  readonly dir: string;
  /** True when the base's own synth produced `clusters/`; false when the committed tree is used. */
  readonly rendered: boolean;
  /** Why the committed tree is used (no synth CLI in the base, or the synth failed). */
  readonly fallbackReason?: string;
  /** Removes the worktree; always call it, also on failure. */
  cleanup(): Promise<void>;
}

/**
 * Checks out `base` in a temporary detached worktree (the working tree is not touched), links the
 * current `node_modules` into it and runs the base's own synth there. When the base has no synth CLI or
 * the synth fails, the base's committed `clusters/` is used instead, and `rendered` is false.
 */
export async function renderBaseTree(options: RenderBaseOptions): Promise<BaseTree> {
  const repoRoot = path.resolve(options.repoRoot);
  await git(repoRoot, ['rev-parse', '--verify', '--quiet', `${options.base}^{commit}`]).catch(() => {
    throw new Error(`--base ${options.base} is not a commit in ${repoRoot}: give a branch, tag or commit (try \`git fetch\` first)`);
  });
  const parent = await mkdtemp(path.join(tmpdir(), 'flotilla-base-'));
  const dir = path.join(parent, 'worktree');
  const cleanup = async () => {
    await git(repoRoot, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
    await rm(parent, { recursive: true, force: true });
    // A worktree folder removed by hand leaves an entry behind; prune it.
    await git(repoRoot, ['worktree', 'prune']).catch(() => undefined);
  };
  try {
    await git(repoRoot, ['worktree', 'add', '--detach', '--quiet', dir, options.base]);
    const cli = [SYNTH_CLI, ...LEGACY_SYNTH_CLIS].find((candidate) => existsSync(path.join(dir, candidate))) ?? SYNTH_CLI;
    const synthArgs = options.synthArgs ?? [cli, 'synth'];
    if (!existsSync(path.join(dir, synthArgs[0] ?? SYNTH_CLI))) {
      return { dir, rendered: false, fallbackReason: `${options.base} has no ${synthArgs[0]}`, cleanup };
    }
    const modules = path.join(repoRoot, 'node_modules');
    if (existsSync(modules) && !existsSync(path.join(dir, 'node_modules'))) {
      await symlink(modules, path.join(dir, 'node_modules'), 'dir');
    }
    try {
      // Tools the synth starts itself (node, tsx) come from the linked node_modules first.
      const env = { ...process.env, PATH: [path.join(dir, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) };
      await run(process.execPath, [...synthArgs], dir, options.timeoutMs ?? 300_000, env);
      return { dir, rendered: true, cleanup };
    } catch (error) {
      // The synth may have half-written clusters/; go back to what the base commit holds.
      await git(dir, ['checkout', '--quiet', '--', '.']).catch(() => undefined);
      await git(dir, ['clean', '-fdq', '--', 'clusters']).catch(() => undefined);
      return { dir, rendered: false, fallbackReason: `the synth of ${options.base} failed: ${firstLine(error)}`, cleanup };
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function git(cwd: string, args: readonly string[]): Promise<string> {
  return run('git', args, cwd, 60_000);
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  timeout: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd, timeout, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const detail = String(stderr).trim() || String(stdout).trim() || error.message;
        reject(new Error(`${path.basename(command)} ${args.join(' ')} failed: ${detail}`));
      } else {
        resolve(String(stdout));
      }
    });
  });
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.length <= 3 ? lines.join(' ') : `${lines.slice(0, 3).join(' ')} …`;
}
