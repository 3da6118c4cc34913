import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const probe = resolve(__dirname, 'rss-probe.cjs');

/** One timed run of a command. */
export interface Sample {
  readonly seconds: number;
  /** Peak RSS of the largest single Node process the command started, in MiB (NaN when it started none). */
  readonly peakMiB: number;
  /** User + system CPU seconds of every Node process the command started (NaN when it started none). */
  readonly cpuSeconds: number;
  readonly stdout: string;
}

export interface Command {
  readonly label: string;
  readonly cwd: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Runs before every measured run (e.g. delete clusters/ for a clean render); not timed. */
  readonly before?: () => void;
}

/** Runs a command once, timing it and collecting the peak RSS of every Node process it started. */
export function runOnce(command: Command, path: string): Sample {
  command.before?.();
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-rss-'));
  const rssFile = join(dir, 'rss');
  const started = process.hrtime.bigint();
  const result = spawnSync(command.command, command.args, {
    cwd: command.cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      PATH: path,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      // Plain output: the harness reads Nx's task list, and Nx colours it when CI=true.
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      ...command.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${probe}`.trim(),
      FLOTILLA_BENCH_RSS_FILE: rssFile,
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command.label} failed (exit ${result.status}): ${command.command} ${command.args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  }
  const processes = existsSync(rssFile)
    ? readFileSync(rssFile, 'utf8').trim().split('\n').map((line) => line.split(' ').map(Number))
    : [];
  rmSync(dir, { recursive: true, force: true });
  return {
    seconds,
    peakMiB: processes.length ? Math.max(...processes.map(([, rss]) => rss! / 1024)) : Number.NaN,
    cpuSeconds: processes.length ? processes.reduce((sum, [, , cpu]) => sum + cpu! / 1e6, 0) : Number.NaN,
    stdout: result.stdout,
  };
}

/** Median, min and max of a list. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

export interface Measured {
  readonly label: string;
  readonly seconds: Stats;
  readonly peakMiB: Stats;
  readonly cpuSeconds: Stats;
}

/** Warm-up runs (not counted), then `runs` measured runs. */
export function measure(command: Command, runs: number, warmups: number, path: string): Measured {
  for (let i = 0; i < warmups; i++) runOnce(command, path);
  const samples = Array.from({ length: runs }, () => runOnce(command, path));
  return summarize(command.label, samples);
}

/** Stats of samples taken elsewhere (e.g. the A runs of several paired comparisons together). */
export function summarize(label: string, samples: readonly Sample[]): Measured {
  return { label, seconds: stats(samples.map((s) => s.seconds)), peakMiB: stats(samples.map((s) => s.peakMiB)), cpuSeconds: stats(samples.map((s) => s.cpuSeconds)) };
}

export interface Paired {
  readonly label: string;
  readonly aSamples: readonly Sample[];
  /** Median of the per-pair ratios a / b, with min and max. */
  readonly ratio: Stats;
  readonly a: Measured;
  readonly b: Measured;
}

/**
 * Runs a and b in turn (a b a b …) and takes the ratio pair by pair, so drift in the machine's
 * speed during the run cancels out; these machines are noisy.
 */
export function pairedRatio(label: string, a: Command, b: Command, runs: number, warmups: number, path: string): Paired {
  for (let i = 0; i < warmups; i++) {
    runOnce(a, path);
    runOnce(b, path);
  }
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    as.push(runOnce(a, path));
    bs.push(runOnce(b, path));
  }
  return { label, aSamples: as, ratio: stats(as.map((s, i) => s.seconds / bs[i].seconds)), a: summarize(a.label, as), b: summarize(b.label, bs) };
}
