// npm run bench [-- --quick] [--out <file>] [--runs <n>] [--keep] | npm run bench -- --rerender [--out <file>]
// Generates a synthetic fleet in a temp copy of the workspace, measures Flotilla against the stock
// tools and writes docs/benchmarks.md (or, with --out or --quick, another file). See docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createBaselineProject } from './baseline';
import { kustomizeSizes, readFixture } from './fixture';
import { measureLargeFile, type LargeFileResult } from './large-file';
import { measure, pairedRatio, runOnce, summarize, type Command, type Measured, type Paired } from './measure';
import { summarizeProfile, type ProfileSummary } from './profile';
import { renderReport, evaluateTargets, resultFromReport, type Target } from './report';
import { measureAffected, type AffectedResult } from './affected';
import type { PhaseSplit } from './phases';
import { keepPublishSection } from './publish-section';
import type { ThroughputResult } from './throughput';
import { benchPath, createBenchWorkspace, repoRoot, type FleetShape } from './workspace';

export interface BenchOptions {
  readonly quick: boolean;
  /** Where the report goes. @default docs/benchmarks.md (full), a temp file (quick) */
  readonly out?: string;
  /** Measured runs per figure. @default 5 (full), 1 (quick) */
  readonly runs?: number;
  /** Keep the temp folders (for inspection). @default false */
  readonly keep?: boolean;
  /**
   * Also measure A and the file-writing floor with a second workspace under this folder (e.g. a
   * disk when the temp folder is tmpfs), paired, to show what the filesystem adds.
   * @default - not measured
   */
  readonly disk?: string;
  /** Progress lines. @default - none */
  readonly log?: (line: string) => void;
}

export interface Machine {
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly kubectl: string;
  readonly loadStart: number[];
  readonly loadEnd: number[];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly commit: string;
  /** Where the workspaces live and its filesystem (file creation cost differs a lot between disks and tmpfs). */
  readonly tempDir: string;
  readonly tempFs: string;
}

export interface BenchResult {
  /** The command that produced the figures. */
  readonly command: string;
  readonly quick: boolean;
  readonly runs: number;
  readonly warmups: number;
  readonly shape: FleetShape;
  readonly machine: Machine;
  readonly workspace: { devUnits: string[]; platformUnits: string[]; registry: string };
  readonly counts: {
    /** Objects synth rendered (its own count). */
    readonly rendered: number;
    /** Files under clusters/ (objects, Flux Kustomizations, kustomization.yaml lists). */
    readonly files: number;
    /** YAML documents under clusters/: the floor's input. */
    readonly documents: number;
    /** Objects of the bench apps alone: clusters × apps × 7. */
    readonly appObjects: number;
    /** Documents the cdk8s baseline wrote. */
    readonly baselineObjects: number;
  };
  readonly full: Measured;
  readonly vsCdk8s: Paired;
  readonly vsYaml: Paired;
  readonly jsonFloor: Measured;
  /** B: affected synth + drift check after a change, paired with a full render (apps/bench/src/affected.ts). */
  readonly affected: AffectedResult;
  readonly throughput: ThroughputResult & { readonly objectsPerSecond: number; readonly pairsPerSecond: number };
  readonly kustomize: { readonly path: string; readonly objects: number; readonly measured: Measured; readonly largest: { path: string; objects: number }[] };
  readonly profile: ProfileSummary & { readonly seconds: number };
  /** In-process split of one full render (approximate, one run). */
  readonly phases: PhaseSplit;
  /** A and the JSON floor with the workspace on another filesystem (--disk), paired. */
  readonly disk?: { readonly dir: string; readonly fs: string; readonly paired: Paired };
  /** E: `flotilla validate` of one file with 70,000 objects (absent in reports from before it existed). */
  readonly largeFile?: LargeFileResult;
  readonly targets: Target[];
}

const FULL: FleetShape = { clusters: 3, apps: 500, teams: 10 };
const QUICK: FleetShape = { clusters: 2, apps: 10, teams: 2 };

function parseOptions(argv: string[]): BenchOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const known = new Set(['--quick', '--out', '--runs', '--keep', '--rerender', '--disk', '--large-file', '--affected']);
  for (const arg of argv) {
    if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option '${arg}'; use --quick, --out <file>, --runs <n>, --keep, --disk <dir>, --large-file, --affected or --rerender`);
  }
  const runs = value('--runs');
  return {
    quick: argv.includes('--quick'),
    out: value('--out'),
    runs: runs ? Number(runs) : undefined,
    keep: argv.includes('--keep'),
    disk: value('--disk'),
    log: (line) => process.stdout.write(`${line}\n`),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function countFiles(dir: string, suffix: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += countFiles(join(dir, entry.name), suffix);
    else if (entry.name.endsWith(suffix)) count++;
  }
  return count;
}

function tool(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, PATH: benchPath } }).trim();
  } catch {
    return 'not found';
  }
}

/** Runs the whole benchmark and writes the report; returns every figure. */
export function runBenchmark(options: BenchOptions): BenchResult {
  const log = options.log ?? (() => undefined);
  const shape = options.quick ? QUICK : FULL;
  const runs = options.runs ?? (options.quick ? 1 : 5);
  const warmups = options.quick ? 0 : 1;
  const loadStart = loadavg();
  const startedAt = new Date().toISOString();
  const scratch = mkdtempSync(join(tmpdir(), 'flotilla-bench-out-'));

  log(`generating ${shape.clusters} clusters × ${shape.apps} apps (${shape.teams} teams)…`);
  const ws = createBenchWorkspace(shape);
  log(`workspace ${ws.root}; dev units: ${ws.dev.unitNames.join(', ') || 'none'}; bench platform: ${ws.platformUnits.join(', ')}`);
  const baselineDir = createBaselineProject(ws);
  let done = false;
  try {
    const synth: Command = {
      label: 'A: flotilla synth, all checks, clean clusters/',
      cwd: ws.root,
      command: 'node',
      args: ['apps/fleet/bin/flotilla.js', 'synth'],
      before: () => rmSync(join(ws.root, 'clusters'), { recursive: true, force: true }),
    };
    // Builds the CLI bundle (cached from then on) and proves the fleet passes every check.
    const first = runOnce(synth, benchPath);
    const rendered = Number(/rendered (\d+) objects/.exec(first.stdout)?.[1] ?? Number.NaN);
    const files = countFiles(join(ws.root, 'clusters'), '.yaml');
    const fixture = readFixture(ws.root, ws.dev.kubernetesVersion);
    const fixtureFile = join(scratch, 'objects.json');
    writeFileSync(fixtureFile, JSON.stringify(fixture));
    log(`render passes all checks: ${rendered} objects, ${files} files (${first.seconds.toFixed(2)} s incl. bundling)`);

    const cdk8s: Command = {
      label: 'Baseline 1: cdk8s synth --no-check-upgrade (npx ts-node main.ts)',
      cwd: baselineDir,
      command: 'cdk8s',
      args: ['synth', '--no-check-upgrade'],
      before: () => rmSync(join(baselineDir, 'dist'), { recursive: true, force: true }),
    };
    const floor = (mode: 'yaml' | 'json'): Command => ({
      label: `Baseline 2: ${mode === 'yaml' ? 'yaml.stringify' : 'JSON.stringify'}, one file per object`,
      cwd: scratch,
      command: 'node',
      args: [join(__dirname, 'floor.mjs'), mode, fixtureFile, join(scratch, `floor-${mode}`)],
    });

    log('A vs Baseline 1 (cdk8s), paired…');
    const vsCdk8s = pairedRatio('A / Baseline 1', synth, cdk8s, runs, warmups, benchPath);
    const baselineObjects = readdirSync(join(baselineDir, 'dist')).reduce(
      (sum, file) => sum + (readFileSync(join(baselineDir, 'dist', file), 'utf8').match(/^kind: /gm)?.length ?? 0),
      0,
    );
    log(`A vs Baseline 2 (yaml floor), paired…`);
    const vsYaml = pairedRatio('A / yaml floor', synth, floor('yaml'), runs, warmups, benchPath);
    const jsonFloor = measure(floor('json'), runs, warmups, benchPath);
    const full = summarize(synth.label, [...vsCdk8s.aSamples, ...vsYaml.aSamples]);

    log('profile of one A run…');
    const profileDir = join(scratch, 'profile');
    // From the sources through tsx: the bundle has no source map, source files name their projects.
    // One unprofiled run first, so that tsx's transform cache is warm like the bundle's.
    runOnce({ ...synth, args: ['--import', 'tsx', 'apps/bench/src/profile-entry.ts', 'synth'] }, benchPath);
    const profileRun = runOnce(
      { ...synth, args: ['--import', 'tsx', '--cpu-prof', `--cpu-prof-dir=${profileDir}`, 'apps/bench/src/profile-entry.ts', 'synth'] },
      benchPath,
    );
    const profileFile = readdirSync(profileDir)
      .map((file) => join(profileDir, file))
      .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!;
    const profile = { ...summarizeProfile(profileFile), seconds: profileRun.seconds };

    log('in-process phase split of one A run…');
    rmSync(join(ws.root, 'clusters'), { recursive: true, force: true });
    const phases = JSON.parse(execFileSync('tsx', ['apps/bench/src/phases.ts'], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, PATH: benchPath }, maxBuffer: 64 * 1024 * 1024 })) as PhaseSplit;

    log('throughput (schema validation, policies)…');
    const throughputRaw = JSON.parse(
      execFileSync('tsx', ['apps/bench/src/throughput.ts', fixtureFile, String(Math.max(runs, 3))], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, PATH: benchPath }, maxBuffer: 64 * 1024 * 1024 }),
    ) as ThroughputResult;
    const throughput = {
      ...throughputRaw,
      objectsPerSecond: throughputRaw.objects / (median(throughputRaw.schemaPassMs) / 1000),
      pairsPerSecond: throughputRaw.pairs / (median(throughputRaw.policyPassMs) / 1000),
    };

    log('kustomize build of the largest Flux path…');
    // clusters/<c>/flux-system lists gotk-components.yaml, which `flux bootstrap` writes, not synth: an empty stand-in.
    for (const cluster of ws.clusterNames) writeFileSync(join(ws.root, 'clusters', cluster, 'flux-system/gotk-components.yaml'), '');
    const sizes = kustomizeSizes(ws.root);
    const largest = sizes[0]!;
    const kustomize = {
      path: largest.path,
      objects: largest.objects,
      largest: sizes.slice(0, 5),
      measured: measure({ label: `D: kubectl kustomize ${largest.path}`, cwd: ws.root, command: 'kubectl', args: ['kustomize', largest.path] }, runs, warmups, benchPath),
    };
    for (const cluster of ws.clusterNames) rmSync(join(ws.root, 'clusters', cluster, 'flux-system/gotk-components.yaml'));

    log('B: affected render after a one-app change…');
    const affected = measureAffected(ws, runs, warmups, log);

    const disk = options.disk ? measureOnDisk(options.disk, shape, fixtureFile, runs, warmups, log) : undefined;

    log('E: flotilla validate of one file with 70,000 objects…');
    const largeFile = measureLargeFile(ws.root, runs, warmups, benchPath, options.quick ? 7_000 : undefined);

    const machine: Machine = {
      cores: cpus().length,
      memoryGiB: totalmem() / 1024 ** 3,
      node: tool('node', ['--version']),
      kubectl: tool('kubectl', ['version', '--client', '-o', 'json']).match(/"gitVersion":\s*"([^"]+)"/)?.[1] ?? 'unknown',
      loadStart,
      loadEnd: loadavg(),
      startedAt,
      finishedAt: new Date().toISOString(),
      commit: ws.commit,
      tempDir: tmpdir(),
      tempFs: tool('stat', ['-f', '-c', '%T', tmpdir()]),
    };
    const flags = [options.quick ? '--quick' : '', options.runs ? `--runs ${options.runs}` : '', options.disk ? `--disk ${options.disk}` : ''].filter(Boolean);
    const partial = {
      command: `${process.env.TMPDIR ? `TMPDIR=${process.env.TMPDIR} ` : ''}npm run bench${flags.length ? ` -- ${flags.join(' ')}` : ''}`,
      quick: options.quick,
      runs,
      warmups,
      shape,
      machine,
      workspace: { devUnits: ws.dev.unitNames, platformUnits: ws.platformUnits, registry: ws.registry },
      counts: { rendered, files, documents: fixture.objects.length, appObjects: shape.clusters * shape.apps * 7, baselineObjects },
      full,
      vsCdk8s,
      vsYaml,
      jsonFloor,
      affected,
      throughput,
      kustomize,
      profile,
      phases,
      ...(disk ? { disk } : {}),
      largeFile,
    };
    const result: BenchResult = { ...partial, targets: evaluateTargets(partial) };
    const out = options.out ?? (options.quick ? join(scratch, 'benchmarks.md') : join(repoRoot, 'docs/benchmarks.md'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, keepPublishSection(out, renderReport(result)));
    log(`report written to ${out}`);
    for (const target of result.targets) log(`${target.met ? 'met   ' : 'MISSED'} ${target.name}: ${target.value} (target ${target.target})`);
    done = true;
    return result;
  } finally {
    // Temp folders go unless asked to keep them; a failed run keeps nothing but its log.
    if (!options.keep) {
      for (const dir of [ws.root, baselineDir]) rmSync(dir, { recursive: true, force: true });
      if (!done || options.out || !options.quick) rmSync(scratch, { recursive: true, force: true });
    }
  }
}

/** A and the JSON floor with everything under `dir` (its own workspace), paired: what that filesystem adds. */
function measureOnDisk(dir: string, shape: FleetShape, fixtureFile: string, runs: number, warmups: number, log: (line: string) => void): BenchResult['disk'] {
  log(`A and the JSON floor with the workspace under ${dir}…`);
  const ws = createBenchWorkspace(shape, dir);
  try {
    const synth: Command = {
      label: `A on ${dir}`,
      cwd: ws.root,
      command: 'node',
      args: ['apps/fleet/bin/flotilla.js', 'synth'],
      before: () => rmSync(join(ws.root, 'clusters'), { recursive: true, force: true }),
    };
    // The same files to the same folders (clusters/ of this workspace), so the pair differs only in what synth does.
    const floor: Command = {
      label: `JSON floor on ${dir}, same files and folders`,
      cwd: ws.root,
      command: 'node',
      args: [join(__dirname, 'floor-tree.mjs'), fixtureFile, ws.root],
      before: () => rmSync(join(ws.root, 'clusters'), { recursive: true, force: true }),
    };
    runOnce(synth, benchPath); // builds this workspace's CLI bundle
    return { dir, fs: tool('stat', ['-f', '-c', '%T', dir]), paired: pairedRatio('A / JSON floor', synth, floor, runs, warmups, benchPath) };
  } finally {
    rmSync(ws.root, { recursive: true, force: true });
  }
}

// Run as a script (tsx apps/bench/src/main.ts), not when the test imports it.
/** Re-renders a report from the figures it embeds (after editing apps/bench/analysis.md), without measuring. */
export function rerender(file: string): void {
  const result = resultFromReport(readFileSync(file, 'utf8'));
  writeFileSync(file, keepPublishSection(file, renderReport(result)));
}

/**
 * Measures only E (validate of one 70,000-object file, in this workspace) and writes it into an
 * existing report, keeping its other figures; the targets are judged again.
 */
export function updateLargeFile(file: string, runs: number, log: (line: string) => void): LargeFileResult {
  const previous = resultFromReport(readFileSync(file, 'utf8'));
  log('E: flotilla validate of one file with 70,000 objects…');
  // One unmeasured run builds the CLI bundle if a source changed.
  const largeFile = measureLargeFile(repoRoot, runs, 1, benchPath);
  const { targets: _old, ...rest } = { ...previous, largeFile };
  writeFileSync(file, renderReport({ ...rest, targets: evaluateTargets(rest) }));
  log(`${Math.round(largeFile.objectsPerSecond)} objects/s, peak ${Math.round(largeFile.measured.peakMiB.median)} MiB; report written to ${file}`);
  return largeFile;
}

/**
 * Measures only B (affected synth after three kinds of change, each paired with a full render) in a
 * fresh bench workspace of the full shape, and writes it into an existing report, keeping its other
 * figures; the targets are judged again.
 */
export function updateAffected(file: string, runs: number, log: (line: string) => void): AffectedResult {
  const previous = resultFromReport(readFileSync(file, 'utf8'));
  log('B: affected render after a change, paired with a full render…');
  const ws = createBenchWorkspace(FULL);
  try {
    const affected = measureAffected(ws, runs, 1, log);
    const { targets: _old, ...rest } = { ...previous, affected };
    writeFileSync(file, keepPublishSection(file, renderReport({ ...rest, targets: evaluateTargets(rest) })));
    log(`report written to ${file}`);
    return affected;
  } finally {
    rmSync(ws.root, { recursive: true, force: true });
  }
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  try {
    const argv = process.argv.slice(2);
    const options = parseOptions(argv);
    if (argv.includes('--rerender')) rerender(options.out ?? join(repoRoot, 'docs/benchmarks.md'));
    else if (argv.includes('--large-file')) updateLargeFile(options.out ?? join(repoRoot, 'docs/benchmarks.md'), options.runs ?? 5, options.log!);
    else if (argv.includes('--affected')) updateAffected(options.out ?? join(repoRoot, 'docs/benchmarks.md'), options.runs ?? 5, options.log!);
    else runBenchmark(options);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
