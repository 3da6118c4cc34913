#!/usr/bin/env node
// The `flotilla` launcher. It only chooses how to run the CLI; the CLI itself is the fleet
// application's bundle (apps/fleet/scripts/bundle.mjs builds it, also as the Nx target fleet:bundle).
//
// 1. Node: the CLI needs Node 22.12+. The workspace installs Node 24 (the `node` dev dependency), so
//    when an older Node starts this file (a machine's Node 20, say) the bundle runs on that one.
// 2. V8: a fleet-scale synth peaks near 420 MiB of mostly young-generation garbage with V8's default
//    semi-space, ~350 MiB with 8 MiB. The flag only works at process start: npm scripts and Nx targets
//    pass it, and only a bare `npx flotilla` pays one extra process start (~40 ms) to add it.
// 3. Freshness: commands that render the fleet type-check its sources first (cached per source
//    state) and rebuild the bundle when a source changed, so a wrong type never renders.
'use strict';
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

const MIN = [22, 12];
const V8_FLAG = '--max-semi-space-size=8';

const repoRoot = findRepoRoot(process.cwd()) || join(__dirname, '..', '..', '..');
const argv = process.argv.slice(2);

function findRepoRoot(start) {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'apps/fleet/src/main.ts'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function supported(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

/** The Node to run on: this one if new enough, else the workspace's node@24; undefined when neither is. */
function chooseNode() {
  if (supported(process.versions.node)) return process.execPath;
  const workspaceNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(workspaceNode)) return undefined;
  const probe = spawnSync(workspaceNode, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 && supported(probe.stdout.trim()) ? workspaceNode : undefined;
}

function hasV8Flag() {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS || '').split(/\s+/)].some((arg) => arg.startsWith('--max-semi-space-size'));
}

const node = chooseNode();
if (!node) {
  process.stderr.write(
    `flotilla needs Node ${MIN.join('.')} or later, but this is Node ${process.versions.node} and the workspace's Node is not installed.\n` +
      "Fix: run 'npm ci' in the repository (it installs Node 24 from the node@24 dev dependency), or install Node 22.12+.\n",
  );
  process.exit(2);
}

const runner = join(__dirname, 'run.mjs');
if (node !== process.execPath || !hasV8Flag()) {
  // The runner starts on the chosen Node with the flag; this launcher only waits for its exit code.
  const child = spawnSync(node, [V8_FLAG, runner, ...argv], { stdio: 'inherit', env: { ...process.env, FLOTILLA_REPO_ROOT: repoRoot } });
  if (child.error) {
    process.stderr.write(`flotilla: could not start ${node}: ${child.error.message}\n`);
    process.exit(2);
  }
  process.exit(child.status === null ? 1 : child.status);
}
import(pathToFileURL(runner).href).then((run) => run.start(repoRoot, argv));
