import { describeProblems, findProjectRoots, synth, driftCount, type SynthScope } from '@flotilla/core';
import { recoverFirst } from '../lib/recover-first';
import { formatFinding } from '@flotilla/model';
import { parseArgs } from '../lib/args';
import { parseShard } from '../lib/shard-arg';
import { fleetChecks } from '../lib/fleet-checks';
import { scaffoldDiffers } from '../lib/scaffold-drift';
import { affectedSynthProjects, fullRenderFor, scopeForAffected, type AffectedRange } from '../lib/affected-projects';
import { fleetLevelChange } from '../lib/fleet-level-change';
import { requireHost, UsageError, type Command } from '../lib/command';

export const synthCommand: Command = {
  name: 'synth',
  summary: 'render the fleet into clusters/ (or, with --check, prove clusters/ is up to date)',
  help: `Usage: flotilla synth [--check] [--cluster <name>]... [--project <name>]... [--scaffold] [--shard <i>/<n>]
                       [--base <ref> [--head <ref>]]

Renders every cluster of the fleet into clusters/<cluster>/, after checking every
object (schemas, CEL rules, references, policies). A failed synth writes nothing.

Options:
  --check            write nothing; exit 1 and list every file that differs from a fresh render
  --cluster <name>   only this cluster (repeatable)
  --project <name>   only the units of this Nx project, in every cluster that runs them (repeatable);
                     this is what 'nx affected -t synth' runs per project. Also brings the
                     cluster-level files up to date when they differ (a unit's layer, dependencies
                     and health checks are part of its Kustomization in sync/)
  --scaffold         only the cluster-level files (flux-system, sync/, kustomization.yaml); removes
                     folders of units and clusters that left the fleet
  --shard <i>/<n>    only shard i of n: a deterministic subset of the clusters, balanced on their
                     unit counts (known from the fleet config before rendering); shard 1 also
                     writes .github/CODEOWNERS and removes folders of clusters that left the fleet.
                     The n shards together write exactly what a full synth writes; with --check,
                     each shard checks its own clusters. Excludes --cluster, --project and --base
  --base <ref>       only what a change affects, in one process: the projects 'nx show projects
                     --affected' lists between <ref> and --head, or one full render when the change
                     reaches beyond units (cluster config, engine, policies) or more than a tenth
                     of the unit projects. What CI runs: --base $NX_BASE --head $NX_HEAD
  --head <ref>       with --base: the changed revision (default: the working tree)
  --help             this text

Clusters are rendered, checked and written one at a time, so memory follows the largest cluster,
not the fleet; writes stay all or nothing across clusters.

Synth owns only the files that start with its header; it never touches others, such as the
gotk-components.yaml that 'flux bootstrap' writes. It never writes through a symbolic link, and it
reports an owned file whose header or YAML is damaged instead of replacing or deleting it.

Writes are all or nothing, also if synth is killed: a rollback journal (.flotilla/synth.journal) is
written first and removed last, and every flotilla command rolls back an interrupted synth before
anything else. One process writes at a time (.flotilla/synth.lock); another waits up to 30 s
(FLOTILLA_LOCK_WAIT_MS), then stops naming the holder.

Examples:
  npm run synth
  npm run synth -- --check
  npx flotilla synth --base origin/main
  npx flotilla synth --cluster prod
  npx flotilla synth --check --shard 2/4`,
  async run(args, io) {
    const parsed = parseArgs(args, { command: 'synth', valueFlags: ['cluster', 'project', 'shard', 'base', 'head'], switchFlags: ['check', 'scaffold'] });
    if (parsed.positionals.length > 0) throw new UsageError(`'flotilla synth' takes no arguments, got '${parsed.positionals.join(' ')}'`);
    if (parsed.switches.has('scaffold') && parsed.flags.has('project')) {
      throw new UsageError('--scaffold and --project exclude each other: --scaffold renders only cluster-level files');
    }
    const shards = parsed.flags.get('shard') ?? [];
    if (shards.length > 1) throw new UsageError(`--shard is given ${shards.length} times; give it once, e.g. --shard 1/3`);
    if (shards.length > 0 && (parsed.flags.has('cluster') || parsed.flags.has('project'))) {
      throw new UsageError('--shard excludes --cluster and --project: a shard is a set of whole clusters chosen by synth');
    }
    const range: AffectedRange | undefined = parsed.flags.has('base') ? { base: parsed.flags.get('base')!.at(-1)!, head: parsed.flags.get('head')?.at(-1) } : undefined;
    if (parsed.flags.has('head') && !range) throw new UsageError('--head needs --base: the change is what lies between them');
    if (range && (parsed.flags.has('project') || parsed.switches.has('scaffold'))) {
      throw new UsageError('--base chooses the projects itself; leave out --project and --scaffold');
    }
    if (range && shards.length > 0) throw new UsageError('--shard excludes --base: a shard is a set of whole clusters, --base a set of projects');
    let scope: SynthScope = {
      clusters: parsed.flags.get('cluster'),
      projects: parsed.flags.get('project'),
      scaffoldOnly: parsed.switches.has('scaffold'),
      shard: shards[0] === undefined ? undefined : parseShard(shards[0]),
    };
    const check = parsed.switches.has('check');
    const command = `flotilla synth${args.length ? ` ${args.join(' ')}` : ''}`;
    const notice = (message: string) => io.err(`flotilla synth: ${message}\n`);
    // Before anything else: a synth killed while writing is rolled back (and said so).
    recoverFirst(io, 'flotilla synth');
    const host = requireHost(io, 'synth');
    const planOptions = { projectRoots: findProjectRoots(io.cwd), fleetSource: host.fleetSource, workspace: { policiesDir: host.policiesDir } };
    // A change to the fleet-level target's inputs means a full render: known from git at once. Otherwise
    // Nx works out the affected projects in a child process while the fleet loads here.
    const fleetLevel = range && fleetLevelChange(io.cwd, planOptions.projectRoots, range);
    const affected = range && !fleetLevel ? affectedSynthProjects(io.cwd, range) : undefined;
    // Loaded here, not at start: commands that do not need the fleet keep working while it is broken.
    const fleet = await host.loadFleet();
    if (range) {
      const chosen = fleetLevel ? fullRenderFor(fleetLevel, range) : scopeForAffected(fleet, await affected!, range);
      io.out(`${chosen.summary}\n`);
      if (chosen.scope.projects?.length === 0) return 0;
      scope = { ...chosen.scope, clusters: scope.clusters };
    }
    const started = performance.now();
    if (scope.projects && !scope.clusters && scaffoldDiffers(io.cwd, fleet, planOptions)) scope = { ...scope, withScaffold: true };
    const result = synth({
      repoRoot: io.cwd,
      fleet,
      scope,
      check,
      checks: fleetChecks(host.policiesDir),
      ...planOptions,
      command,
      notice,
    });
    const elapsed = Math.round(performance.now() - started);
    for (const finding of result.findings) io.err(`${formatFinding(finding)}\n`);
    const { drift } = result;
    const clusters = result.clusters.length;
    const where = scope.shard ? `shard ${scope.shard.index}/${scope.shard.count} (${result.clusters.map((cluster) => cluster.name).join(', ') || 'no cluster'}): ` : '';
    if (check) {
      if (driftCount(drift) === 0) {
        io.out(`${where}clusters/ is up to date: ${result.fileCount} files, ${result.objectCount} objects in ${clusters} cluster(s) match a fresh render (${elapsed} ms)\n`);
        return 0;
      }
      io.err(`${where}clusters/ differs from a fresh render in ${driftCount(drift)} file(s):\n`);
      for (const file of drift.missing) io.err(`  missing  ${file}\n`);
      for (const file of drift.changed) io.err(`  changed  ${file}\n`);
      for (const file of drift.stale) io.err(`  stale    ${file}\n`);
      for (const line of describeProblems(drift)) io.err(`  ${line}\n`);
      io.err(`run 'npm run synth' and commit the result\n`);
      return 1;
    }
    io.out(
      `${where}rendered ${result.objectCount} objects for ${clusters} cluster(s): ${drift.missing.length} added, ${drift.changed.length} updated, ${drift.stale.length} removed, ${result.fileCount - drift.missing.length - drift.changed.length} unchanged (${elapsed} ms)\n`,
    );
    return 0;
  },
};
