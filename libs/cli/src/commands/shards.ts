import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProjectRoots, planShards } from '@flotilla/core';
import { parseArgs } from '../lib/args';
import { requireHost, UsageError, type Command } from '../lib/command';

export const shardsCommand: Command = {
  name: 'shards',
  summary: 'plan CI runners for a change: the clusters it affects and how many synth shards to run',
  help: `Usage: flotilla shards --base <ref> [--head <ref>] [--clusters-per-runner <n>] [--github-output]

Asks Nx which projects the change between --base and --head affects ('nx show projects --affected')
and derives the clusters whose render it can change: every cluster when a file of the fleet's own
folder changed or a library the fleet depends on is affected (Nx's project graph), else the clusters
that run a unit of an affected project.
When more clusters are affected than one runner should take, the plan is the whole fleet in shards
of at most --clusters-per-runner clusters, for 'flotilla synth --check --shard <i>/<n>' in a matrix.

Options:
  --base <ref>                 the pull request's base (e.g. $NX_BASE)
  --head <ref>                 default HEAD
  --clusters-per-runner <n>    default 20
  --github-output              also append shards=<n> and matrix=[1,…,n] to the file $GITHUB_OUTPUT
                               (shards=0, matrix=[]: one runner renders what the change affects)
  --help                       this text

Example:
  npx flotilla shards --base main --clusters-per-runner 25`,
  async run(args, io) {
    const parsed = parseArgs(args, { command: 'shards', valueFlags: ['base', 'head', 'clusters-per-runner'], switchFlags: ['github-output'] });
    if (parsed.positionals.length > 0) throw new UsageError(`'flotilla shards' takes no arguments, got '${parsed.positionals.join(' ')}'`);
    const base = parsed.flags.get('base')?.[0];
    if (!base) throw new UsageError("--base <ref> is required: the revision the change is compared with, e.g. --base main");
    const head = parsed.flags.get('head')?.[0] ?? 'HEAD';
    const perRunnerText = parsed.flags.get('clusters-per-runner')?.[0] ?? '20';
    const perRunner = Number(perRunnerText);
    if (!/^\d+$/.test(perRunnerText) || perRunner < 1) throw new UsageError(`--clusters-per-runner must be a whole number of at least 1, got '${perRunnerText}'`);
    const outputFile = process.env.GITHUB_OUTPUT;
    if (parsed.switches.has('github-output') && !outputFile) throw new UsageError('--github-output needs the GITHUB_OUTPUT environment variable (set by GitHub Actions) to name the output file');
    const host = requireHost(io, 'shards');
    const fleet = await host.loadFleet();
    const fleetProject = [...findProjectRoots(io.cwd)].find(([, root]) => root === host.fleetSource)?.[0];
    if (!fleetProject) throw new UsageError(`no project.json in ${host.fleetSource}, the fleet's folder; 'flotilla shards' needs the fleet to be an Nx project`, 1);
    const listed = nx(io.cwd, ['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--json'], base, head);
    // The fleet project is affected whenever any unit is (it imports them all); its own change is a changed file below.
    const affected = new Set((JSON.parse(listed.slice(listed.indexOf('['))) as string[]).filter((project) => project !== fleetProject));
    const units = new Set(fleet.clusters.flatMap((cluster) => cluster.units.map((unit) => unit.project)));
    const libraries = [...dependenciesOf(io.cwd, fleetProject, base, head)].filter((project) => !units.has(project));
    const everyCluster = changedFiles(io.cwd, base, head, host.fleetSource) || libraries.some((project) => affected.has(project));
    const plan = planShards(fleet, affected, everyCluster, perRunner);
    const names = plan.affected.length > 8 ? `${plan.affected.slice(0, 8).join(', ')}, …` : plan.affected.join(', ');
    io.out(`${plan.affected.length} of ${plan.total} cluster(s) affected${plan.affected.length ? ` (${names})` : ''}; `);
    io.out(plan.shards ? `${plan.shards} shard(s) of at most ${perRunner} clusters: flotilla synth --check --shard <i>/${plan.shards}\n` : `one runner (at most ${perRunner} clusters): no shards\n`);
    if (parsed.switches.has('github-output')) {
      const matrix = JSON.stringify(Array.from({ length: plan.shards }, (_, i) => i + 1));
      appendFileSync(outputFile!, `shards=${plan.shards}\nmatrix=${matrix}\n`);
    }
    return 0;
  },
};

/** Runs the workspace's Nx and returns its output; a failure is a clear error naming the revisions. */
function nx(cwd: string, args: string[], base: string, head: string): string {
  const local = join(cwd, 'node_modules/.bin/nx');
  try {
    return execFileSync(existsSync(local) ? local : 'nx', args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split('\n').slice(-3).join(' ') || (error as Error).message;
    throw new UsageError(`'nx ${args.join(' ')}' failed: ${detail}; check that ${base} and ${head} exist (fetch-depth: 0 in CI)`, 1);
  }
}

/** Every project `project` depends on, directly or not, in Nx's project graph. */
function dependenciesOf(cwd: string, project: string, base: string, head: string): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-graph-'));
  try {
    nx(cwd, ['graph', `--file=${join(dir, 'graph.json')}`], base, head);
    const graph = JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')) as { graph: { dependencies: Record<string, { target: string }[]> } };
    const seen = new Set<string>();
    const visit = (name: string) => {
      for (const { target } of graph.graph.dependencies[name] ?? []) if (!seen.has(target) && seen.add(target)) visit(target);
    };
    visit(project);
    return seen;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether any file under `folder` differs between the two revisions. */
function changedFiles(cwd: string, base: string, head: string, folder: string): boolean {
  try {
    return execFileSync('git', ['diff', '--name-only', base, head, '--', folder], { cwd, encoding: 'utf8' }).trim().length > 0;
  } catch (error) {
    throw new UsageError(`'git diff ${base} ${head}' failed: ${(error as Error).message.split('\n')[0]}; check that both revisions exist (fetch-depth: 0 in CI)`, 1);
  }
}
