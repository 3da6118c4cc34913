// npm run bench:publish [-- --runs <n>]
//
// Times `flotilla publish` of the example fleet's OCI clusters to a local registry (Debian's
// docker-registry on 127.0.0.1, fresh storage per run): the first publish, then an unchanged
// re-publish. Writes the "Publish" section of docs/benchmarks.md (between its markers; the main
// bench keeps the section when it rewrites the report).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Fleet } from '@flotilla/config';
import { startLocalRegistry } from '@flotilla/publish/testing';
import { runOnce, summarize, type Sample } from './measure';
import { insertSection, PUBLISH_BEGIN, PUBLISH_END } from './publish-section';
import { benchPath, git, repoRoot } from './workspace';

/** The committed workspace in a fresh git repository (node_modules linked), as CI checks it out. */
function copyWorkspace(): string {
  const target = mkdtempSync(join(tmpdir(), 'flotilla-bench-publish-'));
  for (const file of execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean)) {
    if (!existsSync(join(repoRoot, file))) continue;
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(target, file));
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(target, 'node_modules'), 'dir');
  git(target, 'init', '-q', '-b', 'main');
  git(target, 'add', '-A');
  git(target, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'bench');
  return target;
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
  const { fleet } = (await import(pathToFileURL(join(repoRoot, 'apps/fleet/src/index.ts')).href)) as { fleet: Fleet };
  const oci = fleet.clusters.filter((c) => c.delivery?.type === 'oci');
  if (oci.length === 0) throw new Error('no cluster of the example fleet uses OCI delivery; nothing to benchmark');
  const env: NodeJS.ProcessEnv = {};
  for (const cluster of oci) {
    const key = cluster.delivery?.type === 'oci' ? cluster.delivery.signingKey : undefined;
    if (key && 'env' in key) env[key.env] = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }
  const loadStart = loadavg();
  const ws = copyWorkspace();
  const files = Number(execFileSync('git', ['ls-files', ...oci.map((c) => `clusters/${c.name}`)], { cwd: ws, encoding: 'utf8' }).trim().split('\n').length);
  const first: Sample[] = [];
  const again: Sample[] = [];
  const inProcess: [number[], number[]] = [[], []];
  try {
    // One warm-up (bundle build), then `runs` pairs, each against an empty registry.
    for (let run = -1; run < runs; run++) {
      const registry = await startLocalRegistry();
      try {
        const command = (label: string) => ({ label, cwd: ws, command: 'node', args: ['apps/fleet/bin/flotilla.js', 'publish', '--registry', `${registry.host}/flotilla`], env });
        const a = runOnce(command('first publish'), benchPath);
        const b = runOnce(command('unchanged re-publish'), benchPath);
        if (!/pushed /.test(a.stdout) || !/unchanged, /.test(b.stdout)) throw new Error(`unexpected publish output:\n${a.stdout}\n${b.stdout}`);
        if (run < 0) continue;
        first.push(a);
        again.push(b);
        inProcess[0].push(Number(/in (\d+) ms/.exec(a.stdout)![1]));
        inProcess[1].push(Number(/in (\d+) ms/.exec(b.stdout)![1]));
        process.stdout.write(`run ${run + 1}/${runs}: ${a.seconds.toFixed(3)} s, unchanged ${b.seconds.toFixed(3)} s\n`);
      } finally {
        await registry.stop();
      }
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
  const loadEnd = loadavg();
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
  const fmt = (s: { median: number; min: number; max: number }, digits = 3) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  const ms = (values: number[]) => summarize('', values.map((v) => ({ seconds: v, peakMiB: 0, cpuSeconds: 0, stdout: '' }))).seconds;
  const rows = [
    ['first publish (empty registry)', summarize('first', first), ms(inProcess[0])],
    ['unchanged re-publish', summarize('again', again), ms(inProcess[1])],
  ] as const;
  const section = [
    PUBLISH_BEGIN,
    '## Publish (OCI delivery)',
    '',
    `\`npm run bench:publish\` (apps/bench/src/publish-bench.ts): \`node apps/fleet/bin/flotilla.js publish --registry 127.0.0.1:<port>/flotilla\` in a committed copy of the workspace, for the example fleet's OCI clusters (${oci.map((c) => c.name).join(', ')}: ${files} files), against Debian's \`docker-registry\` (CNCF distribution 2.8) on 127.0.0.1 with fresh storage per run. Median (min–max) of ${runs} runs after 1 warm-up, on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, at commit ${git(repoRoot, 'rev-parse', '--short', 'HEAD').trim()}; load average (1 / 5 / 15 min) ${load(loadStart)} at start, ${load(loadEnd)} at end, on ${cpus().length} cores shared with other work.`,
    '',
    '| scenario | wall s (whole process) | inside publish, ms | CPU s (all Node processes) | peak MiB |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(([label, m, inside]) => `| ${label} | ${fmt(m.seconds)} | ${fmt(inside, 0)} | ${fmt(m.cpuSeconds, 2)} | ${fmt(m.peakMiB, 0)} |`),
    '',
    'The first publish builds the reproducible tar+gzip, signs it and uploads 4 blobs and 3 manifests (commit tag, signature, moving tag). The unchanged re-publish reads the moving tag\'s manifest and the signature (2 manifest GETs, 1 blob GET for the payload) and writes nothing. Whole-process figures include Node start-up and loading the fleet config, which every `flotilla` command pays. With a load average far above the core count, wall time is mostly waiting for a core; CPU time is the steadier measure of the work.',
    PUBLISH_END,
  ].join('\n');
  const report = join(repoRoot, 'docs/benchmarks.md');
  writeFileSync(report, insertSection(readFileSync(report, 'utf8'), section));
  process.stdout.write(`${section}\n\nwritten to ${report}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
