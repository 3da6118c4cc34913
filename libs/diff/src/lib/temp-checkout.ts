import { execFile, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A temporary folder that is removed on `remove()`, and also when the process exits or is stopped by a signal. */
export interface TempFolder {
  readonly dir: string;
  remove(): Promise<void>;
}

const live = new Set<string>();
const children = new Set<ChildProcess>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

/** Synchronous, because on 'exit' nothing asynchronous runs any more. */
function removeAllNow(): void {
  for (const child of children) child.kill('SIGTERM');
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAllNow();
  uninstall();
  // Die of the same signal, as if we had not been listening (unless someone else still listens).
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeAllNow);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', removeAllNow);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Creates `<parent>/<prefix>XXXXXX`, removed again by `remove()`, on exit, or on SIGINT/SIGTERM/SIGHUP. */
export async function tempFolder(prefix: string, parent: string = tmpdir()): Promise<TempFolder> {
  const dir = await mkdtemp(path.join(parent, prefix));
  live.add(dir);
  install();
  return {
    dir,
    async remove() {
      live.delete(dir);
      if (live.size === 0 && children.size === 0) uninstall();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RunOptions {
  readonly cwd: string;
  /** Stopped (SIGTERM) after this long. @default 60000 */
  readonly timeoutMs?: number;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs a program; resolves to its stdout, rejects with its stderr (or stdout) when it fails. Killed with the temp folders on a signal. */
export function runProgram(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      [...args],
      { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, env: options.env ?? process.env, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        children.delete(child);
        if (!error) return resolve(String(stdout));
        const detail = String(stderr).trim() || String(stdout).trim() || error.message;
        const timedOut = error.killed && error.signal === 'SIGTERM' ? ` (stopped after ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s)` : '';
        reject(new ProgramError(`${path.basename(command)} ${args.join(' ')}${timedOut}`, detail));
      },
    );
    children.add(child);
  });
}

/** A program that failed: what ran, and what it said. */
export class ProgramError extends Error {
  constructor(
    readonly commandLine: string,
    readonly output: string,
  ) {
    super(`${commandLine} failed: ${output}`);
    this.name = 'ProgramError';
  }
}
