import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to run `kustomize build`: the command and the arguments before the folder. */
export interface KustomizeCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** For messages: `kustomize` or `kubectl kustomize`. */
  readonly label: string;
}

function onPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The real kustomize: `FLOTILLA_KUSTOMIZE` (a kustomize or kubectl binary, or `none`), else a
 * `kustomize` binary on PATH, else kubectl's built-in `kubectl kustomize`; undefined when there is none.
 */
export function findKustomize(env: NodeJS.ProcessEnv = process.env): KustomizeCommand | undefined {
  const configured = env.FLOTILLA_KUSTOMIZE;
  if (configured === 'none') return undefined;
  if (configured) {
    return /kubectl[^/]*$/.test(configured)
      ? { command: configured, args: ['kustomize'], label: 'kubectl kustomize' }
      : { command: configured, args: ['build'], label: 'kustomize build' };
  }
  const kustomize = onPath('kustomize', env.PATH ?? '');
  if (kustomize) return { command: kustomize, args: ['build'], label: 'kustomize build' };
  const kubectl = onPath('kubectl', env.PATH ?? '');
  if (kubectl) return { command: kubectl, args: ['kustomize'], label: 'kubectl kustomize' };
  return undefined;
}

/**
 * Runs the build the way kustomize-controller does (no load restrictions, so bases and files may be
 * anywhere in the repository). Resolves to the YAML stream, or the tool's error message.
 */
export function runKustomize(kustomize: KustomizeCommand, dir: string): { output: string } | { error: string } {
  try {
    const output = execFileSync(kustomize.command, [...kustomize.args, dir, '--load-restrictor', 'LoadRestrictionsNone'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 512 * 1024 * 1024,
      timeout: 120_000,
    });
    return { output };
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    const text = (failure.stderr || failure.message).trim();
    // kubectl wraps the message as `E1204 … run.go:72] "command failed" err="…"`.
    const wrapped = /err="((?:[^"\\]|\\.)*)"/.exec(text);
    return { error: (wrapped ? wrapped[1]!.replace(/\\(.)/g, '$1') : text.replace(/^Error:\s*/, '')).split('\n')[0]! };
  }
}
