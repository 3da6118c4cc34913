import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { measure, pairedRatio, runOnce, type Command, type Measured, type Paired } from './measure';
import { benchPath, changeApp, git, type BenchWorkspace } from './workspace';

/** One change, committed with its render, then what CI runs over it paired with a full render of the same tree. */
export interface AffectedCase {
  /** What changed. */
  readonly change: string;
  /** What `flotilla synth --base` said it rendered (its first output line). */
  readonly decision: string;
  /** a: `flotilla synth --base <base> --head HEAD` + drift check; b: `flotilla synth` (full) + drift check. */
  readonly paired: Paired;
  /** Load average (1 min) before and after the pairs. */
  readonly load: [number, number];
}

export interface AffectedResult {
  /** One line of one app (the target: ≤ 1.0 s). */
  readonly oneApp: AffectedCase & { readonly project: string };
  /** One line in each of several apps (20 in the full bench): the per-project path in one process. */
  readonly manyApps: AffectedCase & { readonly projects: number };
  /** One override in the example dev cluster's index.ts, whose units every bench cluster runs: every unit and the fleet-level project. */
  readonly clusterConfig: AffectedCase;
  /** The one-app change through Nx's per-project tasks (`nx affected -t synth`), for comparison. */
  readonly nxTasks: { readonly measured: Measured; readonly tasks: string[] };
}

const DRIFT = 'git add --intent-to-add -- clusters && git diff --exit-code --stat -- clusters';
const CI_ENV: NodeJS.ProcessEnv = { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false' };

/**
 * B: the change is committed together with its render (as a developer does), then CI's synth step
 * (`flotilla synth --base … --head …`, Nx settings of the workflows) and the drift check run over it,
 * paired run by run with a full render plus the same drift check, so the machine's load cancels out.
 * Three changes: one app, many apps, a cluster's config (the fallback to one full render).
 */
export function measureAffected(ws: BenchWorkspace, runs: number, warmups: number, log: (line: string) => void = () => undefined): AffectedResult {
  const full = (label: string): Command => ({ label, cwd: ws.root, command: 'sh', args: ['-c', `node apps/fleet/bin/flotilla.js synth && ${DRIFT}`], env: CI_ENV });
  const render = () => runOnce({ label: 'render', cwd: ws.root, command: 'node', args: ['apps/fleet/bin/flotilla.js', 'synth'] }, benchPath);
  const commit = (message: string) => {
    render();
    git(ws.root, 'add', '-A');
    git(ws.root, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', message);
    return git(ws.root, 'rev-parse', 'HEAD').trim();
  };
  const measureCase = (change: string, base: string): AffectedCase => {
    const ci: Command = { label: `B: flotilla synth --base + drift check (${change})`, cwd: ws.root, command: 'sh', args: ['-c', `node apps/fleet/bin/flotilla.js synth --base ${base} --head HEAD && ${DRIFT}`], env: CI_ENV };
    const decision = runOnce(ci, benchPath).stdout.split('\n')[0]!;
    log(`  ${change}: ${decision}`);
    const before = loadavg()[0]!;
    const paired = pairedRatio(`B / full render (${change})`, ci, full(`full render + drift check (${change})`), runs, warmups, benchPath);
    return { change, decision, paired, load: [before, loadavg()[0]!] };
  };

  let base = commit('rendered base');
  const app = ws.apps[Math.floor(ws.apps.length / 2)]!;
  changeApp(ws.root, app, 'debug');
  let head = commit(`${app.project}: log level debug`);
  const oneApp = { ...measureCase(`1 app (${app.project})`, base), project: app.project };

  const nxCommand: Command = {
    label: 'B via Nx tasks: nx affected -t synth + drift check',
    cwd: ws.root,
    command: 'sh',
    args: ['-c', `nx affected -t synth --base=${base} --head=HEAD --skip-nx-cache --outputStyle=static && ${DRIFT}`],
    env: CI_ENV,
  };
  // Nx prints '> nx run <project>:synth' for every task it runs.
  const tasks = [...runOnce(nxCommand, benchPath).stdout.matchAll(/> nx run ([^\s:]+):synth/g)].map((match) => match[1]!);
  const nxTasks = { measured: measure(nxCommand, runs, warmups, benchPath), tasks };

  base = head;
  const many = ws.apps.filter((candidate) => candidate !== app).slice(0, Math.min(20, Math.floor(ws.apps.length / 2)));
  for (const changed of many) changeApp(ws.root, changed, 'warn');
  head = commit(`${many.length} apps: log level warn`);
  const manyApps = { ...measureCase(`${many.length} apps`, base), projects: many.length };

  base = head;
  const index = join(ws.root, 'apps/fleet/src/lib/clusters/dev/index.ts');
  const source = readFileSync(index, 'utf8');
  const changed = source.replace('fleetCluster(c, {\n', 'fleetCluster(c, {\n    overrides: { gatekeeper: { replicas: 2 } },\n');
  if (changed === source) throw new Error(`${index} has no 'fleetCluster(c, {' line to change; update the affected benchmark`);
  writeFileSync(index, changed);
  commit("dev's index.ts: Gatekeeper replicas 2 (an override of the dev settings)");
  const clusterConfig = measureCase("dev's index.ts", base);
  return { oneApp, manyApps, clusterConfig, nxTasks };
}
