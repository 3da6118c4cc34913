// The disk rows (issue 17, part 4): a full render from an empty clusters/ against the disk floor
// (floor-tree.mjs: the same files, JSON.stringify + writeFileSync, to the same folder), paired in
// one run, on a real disk and on tmpfs, for one or more commits (before/after a change).
//
//   tsx apps/bench/src/disk.ts [--runs 5] [--dirs /tmp,/dev/shm] [--refs HEAD] [--apps 500] [--out result.json]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFixture } from './fixture';
import { measure, pairedRatio, runOnce, type Command, type Measured, type Paired } from './measure';
import { benchPath, createBenchWorkspace } from './workspace';

export interface DiskRow {
  readonly dir: string;
  readonly fs: string;
  readonly ref: string;
  readonly commit: string;
  readonly files: number;
  /** Full render from an empty clusters/ vs the floor writing the same files. */
  readonly full: Paired;
  /** Synth again with nothing changed. */
  readonly unchanged: Measured;
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1]! : fallback;
}

export function measureDisk(dirs: readonly string[], refs: readonly string[], runs: number, apps: number, log: (line: string) => void): DiskRow[] {
  const rows: DiskRow[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'flotilla-disk-'));
  try {
    for (const dir of dirs) {
      for (const ref of refs) {
        log(`${ref} on ${dir}: generating the workspace…`);
        const ws = createBenchWorkspace({ clusters: 3, apps, teams: 10 }, dir, ref);
        try {
          const clean = () => rmSync(join(ws.root, 'clusters'), { recursive: true, force: true });
          // The CLI's entry point moved (libs/cli/bin → apps/fleet/bin); an older commit has the old one.
          const bin = existsSync(join(ws.root, 'apps/fleet/bin/flotilla.js')) ? 'apps/fleet/bin/flotilla.js' : 'libs/cli/bin/flotilla.js';
          const synth: Command = { label: `synth (${ref}) on ${dir}`, cwd: ws.root, command: 'node', args: [bin, 'synth'], before: clean };
          runOnce(synth, benchPath); // builds this workspace's CLI bundle
          const fixture = readFixture(ws.root, '1.35');
          const fixtureFile = join(scratch, `fixture-${rows.length}.json`);
          writeFileSync(fixtureFile, JSON.stringify(fixture));
          const files = new Set(fixture.objects.map((object) => object.file)).size;
          const floor: Command = { label: `JSON floor on ${dir}`, cwd: ws.root, command: 'node', args: [join(__dirname, 'floor-tree.mjs'), fixtureFile, ws.root], before: clean };
          log(`${ref} on ${dir}: synth vs floor, paired, ${runs} runs…`);
          const full = pairedRatio(`synth / floor (${ref}, ${dir})`, synth, floor, runs, 1, benchPath);
          runOnce(synth, benchPath);
          const unchanged = measure({ ...synth, label: `synth, nothing changed (${ref}, ${dir})`, before: undefined }, runs, 1, benchPath);
          const fs = execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).trim();
          rows.push({ dir, fs, ref, commit: ws.commit, files, full, unchanged });
          log(`  synth ${full.a.seconds.median.toFixed(2)} s, floor ${full.b.seconds.median.toFixed(2)} s, ratio ${full.ratio.median.toFixed(2)} (min ${full.ratio.min.toFixed(2)}, max ${full.ratio.max.toFixed(2)}); unchanged ${unchanged.seconds.median.toFixed(2)} s`);
        } finally {
          rmSync(ws.root, { recursive: true, force: true });
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

export function diskTable(rows: readonly DiskRow[]): string {
  const lines = ['| commit | folder (fs) | files | synth, full render (median, min–max) | JSON floor, same files | synth / floor (median, min–max) | synth, nothing changed |', '|---|---|---:|---:|---:|---:|---:|'];
  const s = (summary: Measured) => `${summary.seconds.median.toFixed(2)} s (${summary.seconds.min.toFixed(2)}–${summary.seconds.max.toFixed(2)})`;
  for (const row of rows) {
    lines.push(
      `| ${row.ref} (${row.commit}) | ${row.dir} (${row.fs}) | ${row.files} | ${s(row.full.a)} | ${s(row.full.b)} | ${row.full.ratio.median.toFixed(2)}× (${row.full.ratio.min.toFixed(2)}–${row.full.ratio.max.toFixed(2)}) | ${s(row.unchanged)} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('disk.ts')) {
  const rows = measureDisk(option('--dirs', '/tmp,/dev/shm').split(','), option('--refs', 'HEAD').split(','), Number(option('--runs', '5')), Number(option('--apps', '500')), (line) =>
    process.stderr.write(`${line}\n`),
  );
  const out = option('--out', '');
  if (out) writeFileSync(out, JSON.stringify(rows, null, 2));
  process.stdout.write(`${diskTable(rows)}\n`);
}
