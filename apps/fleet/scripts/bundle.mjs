// The fleet application's build: type-check the sources synth renders, then bundle them into
// dist/flotilla/cli.mjs (with a source map, so runtime errors point at the TypeScript line).
//
// Two callers share this module: the Nx target `fleet:bundle` (`node apps/fleet/scripts/bundle.mjs`,
// cached by Nx on its declared inputs and outputs, and a dependency of every `synth` target), and the
// launcher bin/flotilla.js, which runs `ensureBundle` so that `npm run synth` straight after an edit
// never runs a stale bundle. Plain JavaScript: the launcher may run on an old Node before it picks one.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ENTRY = 'apps/fleet/src/main.ts';
export const OUT_DIR = 'dist/flotilla';
export const BUNDLE = `${OUT_DIR}/cli.mjs`;
/** The tsconfig of the sources synth renders: the fleet and, through its imports, every unit and library. */
export const TYPECHECK_PROJECT = 'apps/fleet/tsconfig.synth.json';

const SOURCE_TOPS = ['apps', 'charts', 'libs'];
const DATA_FOLDERS = new Set(['generated', 'data', 'upstream', 'fixtures', '__snapshots__']);

/**
 * A cache key for what the bundle and the type-check read: the content of every non-test .ts file
 * and every .json file outside data folders (generated schemas, vendored upstream files and fixtures
 * are read at run time, not bundled), plus tsconfig.base.json and the lockfile. Content, not mtimes,
 * so a fresh clone or an Nx cache restore agrees with the machine that built the bundle (~40 ms).
 */
export function sourceStamp(repoRoot) {
  const hash = createHash('sha256');
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || DATA_FOLDERS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
        hash.update(`${relative(repoRoot, path)}\0`).update(readFileSync(path)).update('\0');
      }
    }
  };
  for (const top of SOURCE_TOPS) if (existsSync(join(repoRoot, top))) visit(join(repoRoot, top));
  for (const file of ['tsconfig.base.json', 'package-lock.json']) {
    if (existsSync(join(repoRoot, file))) hash.update(readFileSync(join(repoRoot, file)));
  }
  return hash.digest('hex');
}

/** Writes `content` to `path` through a per-process temp file and a rename, so readers never see half a file. */
function writeAtomic(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

function readStamp(repoRoot, name) {
  const file = join(repoRoot, OUT_DIR, name);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The TypeScript compiler used for the check: TypeScript 7 (native) when installed, else the workspace's tsc. */
export function typescriptCompiler(repoRoot) {
  for (const candidate of ['node_modules/typescript-native/bin/tsc', 'node_modules/typescript/bin/tsc']) {
    if (existsSync(join(repoRoot, candidate))) return join(repoRoot, candidate);
  }
  throw new Error("TypeScript is not installed; run 'npm ci'");
}

/**
 * Type-checks the sources synth renders. Returns the diagnostics as `file:line:col: error TSnnnn: message`
 * lines (empty when they compile). The result for a stamp is remembered, so an unchanged tree costs nothing.
 */
export function typecheck(repoRoot, stamp = sourceStamp(repoRoot)) {
  if (readStamp(repoRoot, 'typecheck.stamp') === stamp) return [];
  const tsc = typescriptCompiler(repoRoot);
  const result = spawnSync(process.execPath, [tsc, '-p', TYPECHECK_PROJECT, '--noEmit', '--pretty', 'false'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`could not run the TypeScript compiler (${tsc}): ${result.error.message}`);
  if (result.status === 0) {
    writeAtomic(join(repoRoot, OUT_DIR, 'typecheck.stamp'), stamp);
    return [];
  }
  return formatDiagnostics(`${result.stdout}${result.stderr}`);
}

/** tsc prints `file(line,col): error TS2353: …` plus indented continuation lines; editors and CI want `file:line:col`. */
export function formatDiagnostics(output) {
  const lines = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/.exec(line);
    if (match) lines.push(`${match[1]}:${match[2]}:${match[3]}: ${match[4]} ${match[5]}: ${match[6]}`);
    else if (lines.length > 0 && /^\s/.test(line)) lines[lines.length - 1] += `\n  ${line.trim()}`;
    else lines.push(line);
  }
  return lines;
}

/** Bundles the fleet entry point with esbuild into dist/flotilla/cli.mjs (+ .map), written atomically. */
export async function buildBundle(repoRoot, stamp = sourceStamp(repoRoot)) {
  const { createRequire } = await import('node:module');
  const esbuild = createRequire(join(repoRoot, 'package.json'))('esbuild');
  const outfile = join(repoRoot, BUNDLE);
  const result = await esbuild.build({
    entryPoints: [join(repoRoot, ENTRY)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    tsconfig: join(repoRoot, 'tsconfig.base.json'),
    logLevel: 'silent',
    absWorkingDir: repoRoot,
    // A linked map costs nothing at start-up (Node only reads it when asked); the engine reads it
    // to name the TypeScript file and line of a construct that throws.
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
  });
  // The map first and the stamp last: a reader that sees the new stamp sees the new bundle.
  const files = [...result.outputFiles].sort((a, b) => (a.path.endsWith('.map') ? -1 : b.path.endsWith('.map') ? 1 : 0));
  for (const file of files) writeAtomic(file.path, file.contents);
  writeAtomic(join(repoRoot, OUT_DIR, 'bundle.stamp'), stamp);
  return outfile;
}

/**
 * What the launcher calls: rebuilds the bundle when the sources changed and, when `check` is set,
 * type-checks first. Returns the diagnostics (empty when fine) and the bundle path.
 */
export async function ensureBundle(repoRoot, { check }) {
  const stamp = sourceStamp(repoRoot);
  const diagnostics = check ? typecheck(repoRoot, stamp) : [];
  if (diagnostics.length > 0) return { diagnostics, bundle: undefined };
  const bundle = join(repoRoot, BUNDLE);
  if (!existsSync(bundle) || readStamp(repoRoot, 'bundle.stamp') !== stamp) await buildBundle(repoRoot, stamp);
  return { diagnostics: [], bundle };
}

// `node apps/fleet/scripts/bundle.mjs` (the Nx target): type-check, then bundle; exit 1 on type errors.
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const stamp = sourceStamp(repoRoot);
  const diagnostics = typecheck(repoRoot, stamp);
  if (diagnostics.length > 0) {
    process.stderr.write(`${diagnostics.join('\n')}\nthe fleet does not type-check: fix the errors above (file:line:col)\n`);
    process.exit(1);
  }
  await buildBundle(repoRoot, stamp);
}
