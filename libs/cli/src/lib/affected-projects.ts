import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Fleet } from '@flotilla/config';
import type { SynthScope } from '@flotilla/core';
import { UsageError } from './command';

/** A change renders per project while it affects at most this share of the fleet's unit projects (one full render beyond). */
export const PER_PROJECT_SHARE = 0.1;

export interface AffectedRange {
  /** Git ref the change is compared with (e.g. $NX_BASE). */
  readonly base: string;
  /** Git ref of the change. @default - the working tree, uncommitted and untracked files included */
  readonly head?: string;
}

/**
 * The projects with a `synth` target that a change affects, as `nx affected` decides it (project
 * graph plus every target's inputs, so a policy or engine change affects every unit). Started in
 * the background: the fleet loads meanwhile.
 */
export function affectedSynthProjects(repoRoot: string, range: AffectedRange): Promise<string[]> {
  const nx = join(repoRoot, 'node_modules/.bin/nx');
  if (!existsSync(nx)) return Promise.reject(new UsageError(`--base needs the workspace's Nx (${nx} is missing); run 'npm ci'`));
  const args = [nx, 'show', 'projects', '--affected', '--with-target', 'synth', '--json', `--base=${range.base}`, ...(range.head ? [`--head=${range.head}`] : [])];
  const projects = new Promise<string[]>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { NX_DAEMON: 'false', NX_TUI: 'false', ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', (error) => reject(new UsageError(`could not start Nx to find the affected projects: ${error.message}`)));
    child.on('close', (code) => {
      const projects = code === 0 ? parseList(out) : undefined;
      if (projects) resolve(projects);
      else {
        const said = (err.trim() || out.trim()).split('\n').slice(-6).join('\n  ');
        reject(new UsageError(`'nx show projects --affected --base=${range.base}${range.head ? ` --head=${range.head}` : ''}' failed (exit ${code}); is ${range.base} a commit of this repository (fetch with full history)?\n  ${said}`));
      }
    });
  });
  // Awaited once the fleet is loaded; a failure must not surface as unhandled before that.
  projects.catch(() => undefined);
  return projects;
}

function describeRange(range: AffectedRange): string {
  const short = (ref: string) => (/^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 12) : ref);
  return `since ${short(range.base)}${range.head ? ` (at ${short(range.head)})` : ''}`;
}

function parseList(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text.slice(text.indexOf('[')));
    return Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? value.sort() : undefined;
  } catch {
    return undefined;
  }
}

export interface AffectedScope {
  /** What to render: the affected unit projects, or everything. */
  readonly scope: SynthScope;
  /** One line for the user: what was affected and what is rendered. */
  readonly summary: string;
}

/**
 * One synth for the whole change: the affected unit projects in one process, or one full render when
 * the change reaches beyond units (a project that renders no unit of the fleet, such as the
 * fleet-level target after a cluster config or engine change) or more than {@link PER_PROJECT_SHARE}
 * of them, where a full render is the faster way to the same tree.
 */
export function scopeForAffected(fleet: Fleet, affected: readonly string[], range: AffectedRange): AffectedScope {
  const units = new Set(fleet.clusters.flatMap((cluster) => cluster.units.map((unit) => unit.project)));
  const since = describeRange(range);
  if (affected.length === 0) return { scope: { projects: [] }, summary: `no project with a synth target changed ${since}` };
  const beyond = affected.filter((project) => !units.has(project));
  const limit = Math.max(1, Math.floor(units.size * PER_PROJECT_SHARE));
  const listed = affected.length > 8 ? `${affected.slice(0, 8).join(', ')} …` : affected.join(', ');
  if (beyond.length > 0) return { scope: {}, summary: `${affected.length} project(s) affected ${since}, ${beyond.join(', ')} beyond the units: one full render` };
  if (affected.length > limit) return { scope: {}, summary: `${affected.length} of ${units.size} unit projects affected ${since} (more than ${limit}): one full render` };
  return { scope: { projects: affected }, summary: `${affected.length} of ${units.size} unit projects affected ${since}: ${listed}` };
}

/** One full render because `change.file` is an input of the fleet-level target (see fleetLevelChange). */
export function fullRenderFor(change: { file: string; project: string }, range: AffectedRange): AffectedScope {
  return { scope: {}, summary: `${change.file} changed ${describeRange(range)}, an input of ${change.project}:synth: one full render` };
}
