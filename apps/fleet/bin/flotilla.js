#!/usr/bin/env node
// Starts the flotilla CLI from precompiled JavaScript.
//
// The fleet application (its entry point src/main.ts hands the example fleet to the engine in
// libs/cli), the engine and every chart are TypeScript. Instead of a TypeScript loader on every
// run (ts-node type-checks for ~1.2 s, see ../shared/docs/perf-baseline.md), esbuild bundles them
// once into dist/flotilla/cli.mjs; the bundle is reused until a source file changes (keyed by the
// size and mtime of every .ts file, which takes a few milliseconds to read).
'use strict';
const { existsSync, readFileSync, readdirSync, statSync, mkdirSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `flotilla needs Node 22.12 or later, but this is Node ${process.versions.node}.\n` +
      'Run it through npm (npm run flotilla -- <command>, or npx flotilla <command>): the workspace ships Node 24 as a dev dependency.\n',
  );
  process.exit(2);
}

// V8's default young generation lets a fleet-scale synth peak near 420 MiB of mostly garbage; with an
// 8 MiB semi-space it stays around 350 MiB at the same speed. The flag only works at start-up, so
// the CLI re-runs itself with it once (about 40 ms).
if (!process.execArgv.some((arg) => arg.startsWith('--max-semi-space-size'))) {
  const { spawnSync } = require('node:child_process');
  const child = spawnSync(process.execPath, ['--max-semi-space-size=8', ...process.execArgv, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (child.error) {
    process.stderr.write(`flotilla: could not start Node: ${child.error.message}\n`);
    process.exit(2);
  }
  process.exit(child.status ?? 1);
}

const repoRoot = findRepoRoot(process.cwd()) ?? join(__dirname, '..', '..', '..');
const entry = join(repoRoot, 'apps/fleet/src/main.ts');
const outfile = join(repoRoot, 'dist/flotilla/cli.mjs');
const stampFile = `${outfile}.stamp`;

function findRepoRoot(start) {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'apps/fleet/src/main.ts'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function sourceStamp() {
  const hash = createHash('sha256');
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
        const stat = statSync(path);
        hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
      }
    }
  };
  for (const top of ['libs', 'charts', 'apps']) if (existsSync(join(repoRoot, top))) visit(join(repoRoot, top));
  hash.update(readFileSync(join(repoRoot, 'tsconfig.base.json')));
  return hash.digest('hex');
}

// Libraries find their data files next to their sources (import.meta.url, __dirname). In one
// bundle those would all point at dist/, so each workspace source keeps its own location.
const sourceLocationPlugin = {
  name: 'flotilla-source-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!/import\.meta\.url|__dirname|__filename/.test(text)) return undefined;
      const contents = text
        .replace(/import\.meta\.url/g, JSON.stringify(pathToFileURL(args.path).href))
        .replace(/\b__dirname\b/g, JSON.stringify(dirname(args.path)))
        .replace(/\b__filename\b/g, JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

async function ensureBundle() {
  const stamp = sourceStamp();
  if (existsSync(outfile) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  const esbuild = require('esbuild');
  mkdirSync(dirname(outfile), { recursive: true });
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    tsconfig: join(repoRoot, 'tsconfig.base.json'),
    logLevel: 'error',
    absWorkingDir: repoRoot,
    plugins: [sourceLocationPlugin],
  });
  writeFileSync(stampFile, stamp);
}

ensureBundle()
  .then(() => import(pathToFileURL(outfile).href))
  .then((cli) => {
    // Commands work from the repository root; paths the user typed stay relative to where they typed them.
    const invocationDir = process.cwd();
    process.chdir(repoRoot);
    return cli.main(process.argv.slice(2), repoRoot, invocationDir);
  })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`flotilla: ${error && error.message ? error.message : error}\n`);
    process.exitCode = 2;
  });
