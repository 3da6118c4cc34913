import { execFile } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ClusterConfig } from '@flotilla/config';
import { SYNTH_CLI, loadRenderedTree } from '@flotilla/diff';
import type { RenderedObject } from '@flotilla/model';
import { UsageError, requireHost, type CommandIO, type ReleasesHost } from './command';
import { PinsFile } from './pins-file';

/** The fleet's stages and pins file, or a usage error for a fleet that declares none. */
export function requireReleases(io: CommandIO, command: string): ReleasesHost {
  const host = requireHost(io, command);
  if (!host.releases) throw new UsageError(`'flotilla ${command}' needs the fleet's stages and release pins, but its entry point passes no 'releases'; pass { stages, file } to main()`);
  return host.releases;
}

/** Reads and parses the pins file. */
export async function readPins(io: CommandIO, releases: ReleasesHost): Promise<PinsFile> {
  const file = path.join(io.cwd, releases.file);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read the release pins file ${releases.file}: ${error.code ?? error.message}`);
  });
  return PinsFile.parse(releases.file, text);
}

/** Replaces the pins file in one rename, so a reader sees the old or the new file, never half of it. */
export async function writePins(io: CommandIO, releases: ReleasesHost, text: string): Promise<void> {
  const file = path.join(io.cwd, releases.file);
  const temporary = `${file}.flotilla-${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/** `stage` if the fleet has it, else a usage error listing the stages. */
export function checkStage(releases: ReleasesHost, stage: string | undefined, flag: string): string {
  if (!stage) throw new UsageError(`--${flag} is required: one of ${releases.stages.join(', ')}`);
  if (!releases.stages.includes(stage)) throw new UsageError(`--${flag} ${stage} is not a stage of this fleet; use one of ${releases.stages.join(', ')} (in promotion order)`);
  return stage;
}

/** The one value of flag `name`, or undefined. */
export function single(flags: Map<string, string[]>, name: string): string | undefined {
  const values = flags.get(name) ?? [];
  if (values.length > 1) throw new UsageError(`--${name} is given ${values.length} times (${values.join(', ')}); give it once`);
  return values[0];
}

/** The ECR registry of a cluster's account and region. */
export function clusterRegistry(cluster: ClusterConfig): string {
  return `${cluster.account}.dkr.ecr.${cluster.region}.amazonaws.com${cluster.region.startsWith('cn-') ? '.cn' : ''}`;
}

/** The image a pin names on `cluster`: the cluster's own ECR registry when the pin has no registry host (as the catalog's imageOn). */
export function imageOnCluster(cluster: ClusterConfig, pin: string): string {
  const first = pin.split('/')[0] ?? '';
  const hasRegistry = pin.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry ? pin : `${clusterRegistry(cluster)}/${pin}`;
}

/** The fleet's clusters of one stage (their `environment`). */
export function clustersOfStage(clusters: readonly ClusterConfig[], stage: string): ClusterConfig[] {
  return clusters.filter((cluster) => cluster.environment === stage);
}

/**
 * Why `image` may not run on `cluster`, or undefined: the repositories its rendered Gatekeeper
 * constraint FlotillaAllowedRepos admits (typed as `allowedRepositories` in the cluster's config).
 */
export function registryProblem(rendered: readonly RenderedObject[], cluster: ClusterConfig, image: string): string | undefined {
  const constraint = rendered.find((item) => item.cluster === cluster.name && item.object.kind === 'FlotillaAllowedRepos');
  if (!constraint) return undefined;
  const repos = ((constraint.object as { spec?: { parameters?: { repos?: string[] } } }).spec?.parameters?.repos ?? []).filter((repo) => typeof repo === 'string');
  if (repos.some((repo) => image.startsWith(repo))) return undefined;
  return `cluster '${cluster.name}' does not allow '${image}': its allowed repositories are ${repos.join(', ')} (FlotillaAllowedRepos in ${constraint.file}, from 'allowedRepositories' in the cluster's platform config); push the image to one of them, or add its registry there first`;
}

/** Loads the current `clusters/` render (for the registry check). */
export async function currentRender(io: CommandIO): Promise<RenderedObject[]> {
  return loadRenderedTree(io.cwd);
}

/** Result of a fresh synth in a child process. */
export interface RenderResult {
  readonly code: number;
  readonly output: string;
}

/**
 * Renders the fleet in a fresh process (the fleet's entry point type-checks and re-bundles the
 * edited sources; this process holds the old fleet), writing `clusters/` all or nothing.
 */
export function renderFleet(repoRoot: string): Promise<RenderResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--max-semi-space-size=8', path.join(repoRoot, SYNTH_CLI), 'synth'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}
