// npm run bench:fleet-scale [-- --clusters 10,30,100] [--apps 100] [--runs 1] [--cdk8s-max 30] [--out <file>] [--svg <file>]
// npm run bench:fleet-scale -- --profile <clusters>   (adds a CPU profile of one synth to the section)
// npm run bench:fleet-scale -- --rerender             (after editing apps/bench/fleet-scale-analysis.md)
//
// Fleet scale (issue 17): fleets of 10, 30 and 100 clusters × 100 apps, each cluster with the full
// platform baseline (the example dev cluster's units plus the bench platform), rendered from an
// empty clusters/ by `flotilla synth`, paired run by run with `cdk8s synth` of the same app charts.
// Reports wall time, CPU, peak RSS and the load average of every measurement, judges the targets,
// and writes the "Fleet scale" section of docs/benchmarks.md (between its markers) and the chart
// docs/fleet-scale.svg.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createBaselineProject } from './baseline';
import { renderChartSvg } from './fleet-chart';
import { runOnce, type Command, type Sample } from './measure';
import { summarizeProfile, type ProfileEntry } from './profile';
import { FLEET_SCALE_BEGIN, FLEET_SCALE_END, insertSection } from './publish-section';
import { benchPath, createBenchWorkspace, git, repoRoot } from './workspace';

export interface FleetScaleOptions {
  readonly clusters: readonly number[];
  readonly apps: number;
  readonly runs: number;
  /** cdk8s synth is measured up to this many clusters (one App of clusters × apps charts grows quadratically). */
  readonly cdk8sMax: number;
  readonly out: string;
  readonly svg: string;
  readonly log: (line: string) => void;
}

/** One measured run and the 1-minute load average just before it. */
export interface LoadedSample {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakMiB: number;
  readonly load: number;
}

export interface FleetScaleRow {
  readonly clusters: number;
  readonly apps: number;
  /** Objects synth rendered (its own count). */
  readonly objects: number;
  /** Documents cdk8s synth rendered (the apps only). */
  readonly baselineObjects?: number;
  readonly flotilla: readonly LoadedSample[];
  readonly cdk8s: readonly LoadedSample[];
}

/** A `--cpu-prof` profile of one synth run (bundle, source-mapped to projects), self time by module. */
export interface FleetScaleProfile {
  readonly clusters: number;
  readonly seconds: number;
  readonly load: number;
  readonly totalMs: number;
  readonly modules: readonly ProfileEntry[];
  readonly functions: readonly ProfileEntry[];
}

export interface FleetScaleResult {
  readonly profile?: FleetScaleProfile;
  readonly commit: string;
  readonly startedAt: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly rows: readonly FleetScaleRow[];
}

function loaded(command: Command): LoadedSample {
  const load = loadavg()[0]!;
  const sample: Sample = runOnce(command, benchPath);
  return { seconds: sample.seconds, cpuSeconds: sample.cpuSeconds, peakMiB: sample.peakMiB, load };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Measures every fleet size; each workspace is removed before the next is generated. */
export function measureFleetScale(options: FleetScaleOptions): FleetScaleResult {
  const startedAt = new Date().toISOString();
  const rows: FleetScaleRow[] = [];
  for (const clusters of options.clusters) {
    options.log(`${clusters} clusters × ${options.apps} apps: generating…`);
    const ws = createBenchWorkspace({ clusters, apps: options.apps, teams: 10 });
    const baselineDir = createBaselineProject(ws);
    try {
      const synth: Command = {
        label: `flotilla synth, ${clusters} clusters`,
        cwd: ws.root,
        command: 'node',
        args: ['apps/fleet/bin/flotilla.js', 'synth'],
        before: () => rmSync(join(ws.root, 'clusters'), { recursive: true, force: true }),
      };
      const cdk8s: Command = {
        label: `cdk8s synth, ${clusters} clusters`,
        cwd: baselineDir,
        command: 'cdk8s',
        args: ['synth', '--no-check-upgrade'],
        before: () => rmSync(join(baselineDir, 'dist'), { recursive: true, force: true }),
      };
      // Untimed: builds the CLI bundle and proves the fleet passes every check.
      const first = runOnce(synth, benchPath);
      const objects = Number(/rendered (\d+) objects/.exec(first.stdout)?.[1] ?? Number.NaN);
      const withBaseline = clusters <= options.cdk8sMax;
      const flotilla: LoadedSample[] = [];
      const baseline: LoadedSample[] = [];
      for (let run = 0; run < options.runs; run++) {
        options.log(`${clusters} clusters: run ${run + 1}/${options.runs} (load ${loadavg()[0]!.toFixed(2)})…`);
        flotilla.push(loaded(synth));
        if (withBaseline) baseline.push(loaded(cdk8s));
      }
      const baselineObjects = withBaseline ? readdirDocuments(join(baselineDir, 'dist')) : undefined;
      rows.push({ clusters, apps: options.apps, objects, baselineObjects, flotilla, cdk8s: baseline });
      const last = flotilla[flotilla.length - 1]!;
      options.log(`  flotilla ${last.seconds.toFixed(1)} s, ${Math.round(last.peakMiB)} MiB, ${objects} objects${withBaseline ? `; cdk8s ${baseline[baseline.length - 1]!.seconds.toFixed(1)} s` : ''}`);
    } finally {
      rmSync(ws.root, { recursive: true, force: true });
      rmSync(baselineDir, { recursive: true, force: true });
    }
  }
  return { commit: git(repoRoot, 'rev-parse', '--short', 'HEAD').trim(), startedAt, cores: cpus().length, memoryGiB: totalmem() / 1024 ** 3, rows };
}

/** One synth of a fresh `clusters`-cluster fleet under `node --cpu-prof` (every Node process; the largest profile is synth's). */
export function profileFleet(clusters: number, apps: number, log: (line: string) => void): FleetScaleProfile {
  log(`profile: ${clusters} clusters × ${apps} apps: generating…`);
  const ws = createBenchWorkspace({ clusters, apps, teams: 10 });
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-fleet-profile-'));
  try {
    const synth: Command = {
      label: `flotilla synth, ${clusters} clusters`,
      cwd: ws.root,
      command: 'node',
      args: ['apps/fleet/bin/flotilla.js', 'synth'],
      before: () => rmSync(join(ws.root, 'clusters'), { recursive: true, force: true }),
    };
    runOnce(synth, benchPath); // builds the bundle
    const load = loadavg()[0]!;
    // runOnce builds NODE_OPTIONS from this process's (adding its RSS probe), so the flag goes there.
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${saved ?? ''} --cpu-prof --cpu-prof-dir=${dir}`.trim();
    let run: Sample;
    try {
      run = runOnce(synth, benchPath);
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
    const largest = readdirSync(dir)
      .map((file) => join(dir, file))
      .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!;
    const summary = summarizeProfile(largest, 12);
    return { clusters, seconds: run.seconds, load, totalMs: summary.totalMs, modules: summary.modules, functions: summary.functions };
  } finally {
    rmSync(ws.root, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

function readdirDocuments(dir: string): number {
  return readdirSync(dir).reduce((sum, file) => sum + (readFileSync(join(dir, file), 'utf8').match(/^kind: /gm)?.length ?? 0), 0);
}

export interface FleetScaleTarget {
  readonly name: string;
  readonly target: string;
  readonly value: string;
  readonly met: boolean;
}

/** The issue's three targets, judged on the medians. */
export function judgeFleetScale(result: FleetScaleResult): FleetScaleTarget[] {
  const rows = [...result.rows].sort((a, b) => a.clusters - b.clusters);
  const smallest = rows[0]!;
  const largest = rows[rows.length - 1]!;
  const perObject = (row: FleetScaleRow) => median(row.flotilla.map((s) => s.seconds)) / row.objects;
  const peak = median(largest.flotilla.map((s) => s.peakMiB));
  const growth = perObject(largest) / perObject(smallest);
  const paired = rows.filter((row) => row.cdk8s.length > 0);
  const ratios = paired.map((row) => ({ clusters: row.clusters, ratio: median(row.cdk8s.map((s, i) => s.seconds / row.flotilla[i]!.seconds)) }));
  const worst = ratios.length ? Math.min(...ratios.map((entry) => entry.ratio)) : Number.NaN;
  return [
    { name: `peak RSS at ${largest.clusters} clusters`, target: '≤ 600 MiB', value: `${Math.round(peak)} MiB`, met: peak <= 600 },
    {
      name: `time per object, ${smallest.clusters} → ${largest.clusters} clusters`,
      // Linear means no growth per object; fixed start-up cost spread over more objects only lowers it.
      target: 'at most +20 % (linear)',
      value: `${(perObject(smallest) * 1e6).toFixed(0)} → ${(perObject(largest) * 1e6).toFixed(0)} µs/object (${growth >= 1 ? '+' : ''}${((growth - 1) * 100).toFixed(0)} %)`,
      met: growth <= 1.2,
    },
    {
      name: `faster than cdk8s synth, paired (${ratios.map((entry) => entry.clusters).join(', ') || 'none'} clusters)`,
      target: '≥ 3×',
      value: ratios.map((entry) => `${entry.ratio.toFixed(1)}× at ${entry.clusters}`).join(', ') || 'not measured',
      met: worst >= 3,
    },
  ];
}

const fmtSamples = (samples: readonly LoadedSample[], pick: (s: LoadedSample) => number, digits: number) =>
  samples.length === 0 ? '–' : samples.length === 1 ? pick(samples[0]!).toFixed(digits) : `${median(samples.map(pick)).toFixed(digits)} (${samples.map((s) => pick(s).toFixed(digits)).join(', ')})`;

/** The markdown section (with its markers) and the figures embedded for a later re-render. */
export function renderFleetScaleSection(result: FleetScaleResult, options: { svg: string; analysis: string; command: string }): string {
  const targets = judgeFleetScale(result);
  const rows = result.rows.map((row) => {
    const perObject = (median(row.flotilla.map((s) => s.seconds)) / row.objects) * 1e6;
    const cpuPerObject = (median(row.flotilla.map((s) => s.cpuSeconds)) / row.objects) * 1e6;
    const ratio = row.cdk8s.length ? `${median(row.cdk8s.map((s, i) => s.seconds / row.flotilla[i]!.seconds)).toFixed(1)}×` : 'not run';
    return `| ${row.clusters} | ${row.objects.toLocaleString('en-US')} | ${fmtSamples(row.flotilla, (s) => s.seconds, 1)} | ${fmtSamples(row.flotilla, (s) => s.cpuSeconds, 1)} | ${fmtSamples(row.flotilla, (s) => s.peakMiB, 0)} | ${perObject.toFixed(0)} / ${cpuPerObject.toFixed(0)} | ${fmtSamples(row.cdk8s, (s) => s.seconds, 1)} | ${fmtSamples(row.cdk8s, (s) => s.cpuSeconds, 1)} | ${fmtSamples(row.cdk8s, (s) => s.peakMiB, 0)} | ${ratio} | ${row.flotilla.map((s) => s.load.toFixed(1)).join(', ')}${row.cdk8s.length ? ` / ${row.cdk8s.map((s) => s.load.toFixed(1)).join(', ')}` : ''} |`;
  });
  return `${FLEET_SCALE_BEGIN}
## Fleet scale (issue 17): 10, 30 and 100 clusters × 100 apps

\`${options.command}\` (apps/bench/src/fleet-scale.ts), commit \`${result.commit}\`, started ${result.startedAt}, ${result.cores} cores, ${result.memoryGiB.toFixed(1)} GiB.
Every cluster runs the example dev cluster's units, the bench platform (tenants, constraints) and 100 apps
(7 objects each); synth renders from an empty \`clusters/\` with every check, cluster by cluster. The cdk8s
baseline renders the same app charts (only the apps: clusters × 100 × 7 objects) in one \`cdk8s init\`-style App,
paired run by run with synth. Load: the 1-minute load average just before each run (synth / cdk8s); the machine
is shared, so the wall times carry that noise, CPU times less so.

![Wall time and peak RSS against cluster count, Flotilla and cdk8s synth](${options.svg})

| clusters | objects | synth wall s | synth CPU s | synth peak MiB | µs/object wall / CPU | cdk8s wall s | cdk8s CPU s | cdk8s peak MiB | cdk8s / synth | load |
| --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- |
${rows.join('\n')}

| Target | Value | |
| --- | --- | --- |
${targets.map((target) => `| ${target.name}: ${target.target} | ${target.value} | ${target.met ? 'met' : '**missed**'} |`).join('\n')}

${result.profile ? renderProfile(result.profile) : ''}${options.analysis.trim()}

<!-- fleet-scale-result: ${JSON.stringify(result)} -->
${FLEET_SCALE_END}`;
}

function renderProfile(profile: FleetScaleProfile): string {
  const rows = (entries: readonly ProfileEntry[]) => entries.map((entry) => `| ${entry.name.replace(/\|/g, '\\|')} | ${Math.round(entry.ms)} | ${(entry.share * 100).toFixed(1)} % |`).join('\n');
  return `### Profile: one synth of ${profile.clusters} clusters (\`node --cpu-prof\`, ${profile.seconds.toFixed(1)} s wall, ${Math.round(profile.totalMs)} ms sampled, load ${profile.load.toFixed(1)})

| Module (self time) | ms | share |
| --- | --: | --: |
${rows(profile.modules)}

| Function (self time) | ms | share |
| --- | --: | --: |
${rows(profile.functions)}

`;
}

/** The chart: wall time and peak RSS against cluster count, synth and cdk8s. */
export function renderFleetScaleSvg(result: FleetScaleResult): string {
  const points = (rows: readonly FleetScaleRow[], side: 'flotilla' | 'cdk8s', pick: (s: LoadedSample) => number) =>
    rows.filter((row) => row[side].length > 0).map((row) => ({ x: row.clusters, y: median(row[side].map(pick)) }));
  const series = (pick: (s: LoadedSample) => number) => [
    { label: 'flotilla synth (all checks)', colour: '#1f6feb', points: points(result.rows, 'flotilla', pick) },
    { label: 'cdk8s synth (apps only, no checks)', colour: '#d4760a', dashed: true, points: points(result.rows, 'cdk8s', pick) },
  ];
  return renderChartSvg(
    [
      { title: 'Wall time', unit: 'seconds', series: series((s) => s.seconds) },
      { title: 'Peak RSS', unit: 'MiB', series: series((s) => s.peakMiB), target: { y: 600, label: 'target 600 MiB' } },
    ],
    `100 apps per cluster, full platform baseline; commit ${result.commit}, ${result.startedAt.slice(0, 10)}; load in docs/benchmarks.md`,
  );
}

function parseOptions(argv: string[]): FleetScaleOptions {
  const known = new Set(['--clusters', '--apps', '--runs', '--cdk8s-max', '--out', '--svg', '--rerender', '--profile']);
  for (const arg of argv) if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option '${arg}'; use ${[...known].join(', ')}`);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    clusters: (value('--clusters') ?? '10,30,100').split(',').map(Number),
    apps: Number(value('--apps') ?? 100),
    runs: Number(value('--runs') ?? 1),
    cdk8sMax: Number(value('--cdk8s-max') ?? 30),
    out: value('--out') ?? join(repoRoot, 'docs/benchmarks.md'),
    svg: value('--svg') ?? join(repoRoot, 'docs/fleet-scale.svg'),
    log: (line) => process.stdout.write(`${line}\n`),
  };
}

/** Writes the section (between its markers) into the report and the chart beside it. */
export function writeFleetScale(result: FleetScaleResult, options: Pick<FleetScaleOptions, 'out' | 'svg'>, command: string): void {
  const analysis = readFileSync(join(__dirname, '../fleet-scale-analysis.md'), 'utf8');
  writeFileSync(options.svg, renderFleetScaleSvg(result));
  const svg = options.svg.startsWith(join(repoRoot, 'docs/')) ? options.svg.slice(join(repoRoot, 'docs/').length) : options.svg;
  writeFileSync(options.out, insertSection(readFileSync(options.out, 'utf8'), renderFleetScaleSection(result, { svg, analysis, command }), FLEET_SCALE_BEGIN, FLEET_SCALE_END));
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  try {
    const argv = process.argv.slice(2);
    const options = parseOptions(argv);
    if (argv.includes('--profile')) {
      // Adds (or replaces) the profile in the report's embedded figures; the rows stay as measured.
      const embedded = /<!-- fleet-scale-result: (.*) -->/.exec(readFileSync(options.out, 'utf8'))?.[1];
      if (!embedded) throw new Error(`${options.out} has no fleet-scale figures; run without --profile first`);
      const previous = JSON.parse(embedded) as FleetScaleResult & { command?: string };
      const clusters = Number(argv[argv.indexOf('--profile') + 1] ?? 10);
      writeFleetScale({ ...previous, profile: profileFleet(clusters, options.apps, options.log) }, options, previous.command ?? 'npm run bench:fleet-scale');
    } else if (argv.includes('--rerender')) {
      // After editing apps/bench/fleet-scale-analysis.md: the figures embedded in the report, re-rendered.
      const embedded = /<!-- fleet-scale-result: (.*) -->/.exec(readFileSync(options.out, 'utf8'))?.[1];
      if (!embedded) throw new Error(`${options.out} has no fleet-scale figures to re-render; run without --rerender first`);
      const previous = JSON.parse(embedded) as FleetScaleResult & { command?: string };
      writeFleetScale(previous, options, previous.command ?? 'npm run bench:fleet-scale');
    } else {
      const command = `npm run bench:fleet-scale${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
      const result = { ...measureFleetScale(options), command };
      writeFleetScale(result, options, command);
      for (const target of judgeFleetScale(result)) options.log(`${target.met ? 'met   ' : 'MISSED'} ${target.name}: ${target.value} (target ${target.target})`);
    }
  } catch (error) {
    process.stderr.write(`bench:fleet-scale: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
