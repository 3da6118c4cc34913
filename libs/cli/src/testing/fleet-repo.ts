// Test support only: a throwaway git repository whose fleet is a `fleet.json`, rendered by the real
// engine on both sides of a diff (the head in memory, the base by the commit's own synth).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { findProjectRoots, synth } from '@flotilla/core';
import { findRepoRoot, type KubeObject } from '@flotilla/model';
import { captureIo, type CapturedIO } from './capture-io';
import { FLEET_SPEC_FILE, readFleet, type FleetSpec } from './fleet-spec';

/** An ACK RDS DBInstance of the `orders` unit. */
export const dbInstance = (annotations: Record<string, string> = {}, availabilityZone = 'eu-north-1a'): KubeObject => ({
  apiVersion: 'rds.services.k8s.aws/v1alpha1',
  kind: 'DBInstance',
  metadata: { name: 'orders', namespace: 'orders', ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
  spec: { dbInstanceIdentifier: 'orders', dbInstanceClass: 'db.t4g.medium', engine: 'postgres', availabilityZone },
});

export const configMap = (level: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'orders-config', namespace: 'orders' },
  data: { LOG_LEVEL: level },
});

/** The `orders` unit (infra-configs) rendering the given objects. */
export const orders = (...objects: KubeObject[]): FleetSpec => ({ orders: { layer: 'infra-configs', objects } });

export interface FleetRepo {
  readonly repo: string;
  git(...args: string[]): string;
  /** Changes the fleet's source (fleet.json); clusters/ is not re-rendered. */
  edit(spec: FleetSpec): Promise<void>;
  /** Re-renders clusters/ from the source, as `npm run synth` would. */
  synth(): void;
  /** Commits everything. */
  commit(message: string): void;
  /** Command output captured in memory, with the repository's fleet as the host. */
  io(): CapturedIO;
  remove(): Promise<void>;
}

let bundled: Promise<string> | undefined;

/** The test repositories' synth, bundled once per test file (esbuild, well under a second). */
function synthBundle(): Promise<string> {
  bundled ??= (async () => {
    const repoRoot = findRepoRoot(__dirname);
    const dir = await mkdtemp(path.join(tmpdir(), 'flotilla-fleet-repo-synth-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = path.join(dir, 'flotilla.cjs');
    await build({
      entryPoints: [path.join(repoRoot, 'libs/cli/src/testing/fleet-repo-synth.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      tsconfig: path.join(repoRoot, 'tsconfig.base.json'),
      logLevel: 'error',
    });
    return outfile;
  })();
  return bundled;
}

/** Creates the repository with a first commit: `spec` as the source and clusters/ rendered from it. */
export async function fleetRepo(prefix: string, spec: FleetSpec): Promise<FleetRepo> {
  const repo = await mkdtemp(path.join(tmpdir(), prefix));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
    });
  const edit = async (next: FleetSpec) => {
    await writeFile(path.join(repo, FLEET_SPEC_FILE), JSON.stringify(next, null, 2));
    for (const unit of Object.keys(next)) {
      await mkdir(path.join(repo, 'charts', unit), { recursive: true });
      await writeFile(path.join(repo, 'charts', unit, 'project.json'), JSON.stringify({ name: unit }));
    }
  };
  const render = () => {
    synth({ repoRoot: repo, fleet: readFleet(repo), projectRoots: findProjectRoots(repo), fleetSource: 'apps/fleet' });
  };
  const io = () => captureIo({ cwd: repo, host: { loadFleet: async () => readFleet(repo), fleetSource: 'apps/fleet', policiesDir: path.join(repo, 'policies') } });
  git('init', '--quiet', '--initial-branch=main');
  await writeFile(path.join(repo, '.gitignore'), '.flotilla/\n');
  await mkdir(path.join(repo, 'apps/fleet/bin'), { recursive: true });
  await copyFile(await synthBundle(), path.join(repo, 'apps/fleet/bin/flotilla.js'));
  await edit(spec);
  render();
  git('add', '-A');
  git('commit', '--quiet', '-m', 'base');
  return {
    repo,
    git,
    edit,
    synth: render,
    commit: (message) => {
      git('add', '-A');
      git('commit', '--quiet', '-m', message);
    },
    io,
    remove: () => rm(repo, { recursive: true, force: true }),
  };
}
