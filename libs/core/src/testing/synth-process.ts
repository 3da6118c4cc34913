import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { findRepoRoot } from '@flotilla/model';

/** Bundles synth-child.ts once (esbuild, ~0.3 s), so each child process starts in about 0.1 s. */
export async function bundleSynthChild(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'flotilla-synth-child-')), 'synth-child.mjs');
  const repoRoot = findRepoRoot(__dirname);
  await build({
    entryPoints: [join(repoRoot, 'libs/core/src/testing/synth-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    tsconfig: join(repoRoot, 'tsconfig.base.json'),
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return outfile;
}

/** A running synth child: its output so far, and a promise of its exit. */
export interface SynthProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stderr contains `pattern`, or rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<void>;
}

export function startSynth(bundle: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): SynthProcess {
  const child = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const running: SynthProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
    waitFor(pattern) {
      if (pattern.test(running.stderr)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void running.exited.then(() => reject(new Error(`synth exited before printing ${pattern}: ${running.stderr}${running.stdout}`)));
      });
    },
  };
  child.stdout!.on('data', (chunk: Buffer) => (running.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    running.stderr += chunk.toString();
    for (const waiter of waiters.splice(0)) {
      if (waiter.pattern.test(running.stderr)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  return running;
}
