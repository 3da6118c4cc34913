import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import { GENERATED_MARKER } from '@flotilla/core';
import { CLUSTERS_DIR } from '@flotilla/config';
import { BASE_CACHE_DIR, readCachedRender, writeCachedRender } from './base-cache';
import { ProgramError, runProgram, tempFolder } from './temp-checkout';

/** The synth entry point, relative to the repository root. */
export const SYNTH_CLI = 'apps/fleet/bin/flotilla.js';
/** Where revisions from before the fleet became an application keep it; a base that old still renders itself. */
export const LEGACY_SYNTH_CLIS: readonly string[] = ['libs/cli/bin/flotilla.js'];
/** Where the fleet's launcher keeps its bundle and the stamps of the sources it was built from. */
const BUILD_DIR = 'dist/flotilla';

export interface RenderBaseOptions {
  /** Root of the git repository (the folder holding `clusters/`). */
  readonly repoRoot: string;
  /** Any git revision: a branch, tag, commit, `HEAD~1`, `origin/main`. */
  readonly base: string;
  /**
   * How long the base's synth (and an `npm ci` for it) may run.
   * @default 600000 (10 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * Where renders are cached by commit; `false` turns the cache off.
   * @default `<repoRoot>/.flotilla/cache/base-render`
   */
  readonly cacheDir?: string | false;
  /**
   * The folder the temporary checkout is created in.
   * @default os.tmpdir()
   */
  readonly tempParent?: string;
  /**
   * When the base's package-lock.json differs from the working tree's, install the base's own
   * dependencies with `npm ci` in the checkout; when false, stop and say so.
   * @default true
   */
  readonly installDependencies?: boolean;
  /** Told about slow steps (checkout, install, synth). @default - ignored */
  readonly progress?: (message: string) => void;
}

export interface BaseRender {
  /** The revision as given. */
  readonly ref: string;
  /** The full commit id it resolved to. */
  readonly commit: string;
  /** What the base's synth wrote under `clusters/` (files with synth's header only): path → text. */
  readonly files: ReadonlyMap<string, string>;
  /** True when the render came from the cache. */
  readonly cached: boolean;
  /** What happened on the way, for the report (e.g. dependencies installed). */
  readonly notes: readonly string[];
}

/** The step of rendering a base that failed. */
export type BaseRenderStep = 'resolve' | 'checkout' | 'dependencies' | 'synth' | 'read';

/** The base could not be rendered: names the revision, its commit and the failing step. */
export class BaseRenderError extends Error {
  constructor(
    readonly ref: string,
    readonly commit: string | undefined,
    readonly step: BaseRenderStep,
    detail: string,
  ) {
    const what = commit ? `${ref} (commit ${commit.slice(0, 12)})` : ref;
    super(`cannot render the base ${what}: ${step} failed: ${detail}`);
    this.name = 'BaseRenderError';
  }
}

/**
 * Renders the base commit from its source: exports its tree into a temporary folder (`git archive`;
 * the repository and its working tree are not touched), gives it dependencies (the repository's
 * node_modules when the lockfiles are identical, else its own `npm ci`), runs that commit's own synth
 * (engine code may differ between commits) into an empty `clusters/`, and reads the result into
 * memory. The folder is removed afterwards, also on failure or a signal. Renders are cached by commit.
 *
 * @throws BaseRenderError naming the commit and the failing step
 */
export async function renderBase(options: RenderBaseOptions): Promise<BaseRender> {
  const repoRoot = path.resolve(options.repoRoot);
  const ref = options.base;
  const commit = (
    await runProgram('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoRoot }).catch(() => {
      throw new BaseRenderError(ref, undefined, 'resolve', `it is not a commit in ${repoRoot}: give a branch, tag or commit (try \`git fetch\` first)`);
    })
  ).trim();
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? path.join(repoRoot, BASE_CACHE_DIR));
  const cachedFiles = cacheDir ? await readCachedRender(cacheDir, commit) : undefined;
  if (cachedFiles) return { ref, commit, files: cachedFiles, cached: true, notes: [] };

  const fail = (step: BaseRenderStep, detail: string) => new BaseRenderError(ref, commit, step, detail);
  const progress = options.progress ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const temp = await tempFolder('flotilla-base-', options.tempParent);
  try {
    const dir = path.join(temp.dir, 'checkout');
    progress(`exporting ${ref} (${commit.slice(0, 12)}) into a temporary folder`);
    const archive = path.join(temp.dir, 'base.tar');
    await runProgram('git', ['archive', '--format=tar', `--output=${archive}`, '--prefix=checkout/', commit], { cwd: repoRoot, timeoutMs }).catch((error) => {
      throw fail('checkout', detailOf(error));
    });
    await runProgram('tar', ['-xf', archive, '-C', temp.dir], { cwd: temp.dir, timeoutMs }).catch((error) => {
      throw fail('checkout', detailOf(error));
    });
    await rm(archive, { force: true });

    const cli = [SYNTH_CLI, ...LEGACY_SYNTH_CLIS].find((candidate) => existsSync(path.join(dir, candidate)));
    if (!cli) {
      throw fail(
        'synth',
        `it predates Flotilla's render entry point (it has no ${[SYNTH_CLI, ...LEGACY_SYNTH_CLIS].join(' or ')}), so it cannot be rendered from source; compare with a later base`,
      );
    }
    const notes = await provideDependencies(repoRoot, dir, options.installDependencies ?? true, timeoutMs, progress, fail);

    // The working tree's CLI build, if any: the base's own launcher reuses it only when its content
    // stamp matches the base's sources (the same code), and rebuilds otherwise.
    const build = path.join(repoRoot, BUILD_DIR);
    if (existsSync(build)) await cp(build, path.join(dir, BUILD_DIR), { recursive: true }).catch(() => undefined);
    // An empty clusters/: what the synth writes is the render, nothing left over from the commit.
    await rm(path.join(dir, CLUSTERS_DIR), { recursive: true, force: true });
    progress(`rendering ${ref} (${commit.slice(0, 12)}) with its own synth`);
    // Tools the synth starts itself (node, tsc) come from the checkout's node_modules first.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: [path.join(dir, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) };
    delete env.FLOTILLA_REPO_ROOT;
    await runProgram(process.execPath, [cli, 'synth'], { cwd: dir, timeoutMs, env }).catch((error) => {
      throw fail('synth', `node ${cli} synth: ${detailOf(error)}`);
    });
    const files = await readOwnedFiles(dir).catch((error) => {
      throw fail('read', detailOf(error));
    });
    if (cacheDir) await writeCachedRender(cacheDir, commit, files).catch(() => undefined);
    return { ref, commit, files, cached: false, notes };
  } finally {
    await temp.remove();
  }
}

/** Links the repository's node_modules when the base locks the same versions; else installs the base's own. */
async function provideDependencies(
  repoRoot: string,
  dir: string,
  install: boolean,
  timeoutMs: number,
  progress: (message: string) => void,
  fail: (step: BaseRenderStep, detail: string) => BaseRenderError,
): Promise<string[]> {
  const [ours, theirs] = await Promise.all([readOptional(path.join(repoRoot, 'package-lock.json')), readOptional(path.join(dir, 'package-lock.json'))]);
  const modules = path.join(repoRoot, 'node_modules');
  if (ours === theirs) {
    if (!existsSync(modules)) return [];
    // A commit may carry a node_modules entry of its own (e.g. a committed link); the installed one replaces it.
    const target = path.join(dir, 'node_modules');
    await rm(target, { recursive: true, force: true });
    await symlink(modules, target, 'dir').catch((error: unknown) => {
      throw fail('dependencies', `could not link ${modules} into the checkout: ${detailOf(error)}`);
    });
    return [];
  }
  if (theirs === undefined) {
    throw fail('dependencies', 'it has no package-lock.json, so its dependencies cannot be installed exactly; compare with a later base');
  }
  if (!install) {
    throw fail('dependencies', "its package-lock.json differs from the working tree's, so the installed node_modules do not fit it, and installing is turned off");
  }
  progress("the base's package-lock.json differs from the working tree's: installing its dependencies with npm ci");
  const started = Date.now();
  await runProgram('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, timeoutMs }).catch((error) => {
    throw fail('dependencies', `its package-lock.json differs from the working tree's, and npm ci for it failed: ${detailOf(error)}`);
  });
  return [`its package-lock.json differs from the working tree's, so its own dependencies were installed (npm ci, ${Math.round((Date.now() - started) / 1000)} s)`];
}

/** Every file under `<dir>/clusters/` that carries synth's header, by repo-relative path. */
async function readOwnedFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const visit = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await visit(child);
      else if (entry.isFile()) {
        const text = await readFile(path.join(dir, child), 'utf8');
        if (text.startsWith(GENERATED_MARKER)) files.set(child, text);
      }
    }
  };
  if (existsSync(path.join(dir, CLUSTERS_DIR))) await visit(CLUSTERS_DIR);
  return files;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** At most a few lines of what a failed program said. */
function detailOf(error: unknown): string {
  const text = error instanceof ProgramError ? error.output : error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.length <= 6 ? lines.join('\n  ') : `${lines.slice(0, 6).join('\n  ')}\n  … (${lines.length - 6} more lines)`;
}
