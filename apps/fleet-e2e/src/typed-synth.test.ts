import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyWorkspace, git, run } from './testing';

/** Replaces the first match of `pattern` in the fleet's sources; returns the file and 1-based line it changed. */
function editFleet(ws: string, pattern: RegExp, replacement: string): { file: string; line: number } {
  const visit = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? visit(join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [join(dir, entry.name)] : [],
    );
  for (const path of visit(join(ws, 'apps/fleet/src')).sort()) {
    const source = readFileSync(path, 'utf8');
    const match = pattern.exec(source);
    if (!match) continue;
    writeFileSync(path, source.slice(0, match.index) + replacement + source.slice(match.index + match[0].length));
    return { file: relative(ws, path), line: source.slice(0, match.index).split('\n').length };
  }
  throw new Error(`no fleet source matches ${pattern}`);
}

/** The 1-based line of the unit factory call (`name({`) that encloses an edited line. */
function factoryCallLine(ws: string, at: { file: string; line: number }): number {
  const lines = readFileSync(join(ws, at.file), 'utf8').split('\n');
  for (let line = at.line; line >= 1; line--) if (/^\s*(\.\.\.)?[a-z][A-Za-z0-9]*\(\{/.test(lines[line - 1]!)) return line;
  throw new Error(`no factory call encloses ${at.file}:${at.line}`);
}

const synth = (ws: string) => run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'synth']);

// Each case type-checks the whole fleet once in a fresh copy (about 10 s on an idle machine).
describe('synth type-checks the fleet before it renders', { timeout: 600_000 }, () => {
  it('fails if a prop is misspelled, naming file:line:col and the property, and leaves clusters/ untouched', () => {
    // GIVEN a workspace where an autoscaling ceiling is written 'maxReplica'
    const ws = copyWorkspace();
    const at = editFleet(ws, /maxReplicas: (\d+)/, 'maxReplica: 10');
    // WHEN synth runs
    const result = synth(ws);
    // THEN it stops with TypeScript's message at the edited line, and nothing was written
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${at.file}:${at.line}:`);
    expect(result.stderr).toMatch(/error TS2561: .*'maxReplica' does not exist .*Did you mean to write 'maxReplicas'\?/);
    expect(result.stderr).toMatch(/nothing was rendered and clusters\/ is untouched/);
    expect(git(ws, 'status', '--porcelain', '--', 'clusters')).toBe('');
  });

  it('fails if a value has the wrong type (a string where a Duration goes)', () => {
    const ws = copyWorkspace();
    const at = editFleet(ws, /interval: Duration\.\w+\(\d+\)/, "interval: '5 minutes'");
    const result = synth(ws);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${at.file.replace(/[.]/g, '\\.')}:${at.line}:\\d+: error TS2322: Type 'string' is not assignable to type 'Duration'`));
    expect(git(ws, 'status', '--porcelain', '--', 'clusters')).toBe('');
  });

  it('names the cluster, the unit and the TypeScript lines when a construct rejects a value at run time', () => {
    // GIVEN a value that type-checks but that a construct rejects (a ceiling below the floor)
    const ws = copyWorkspace();
    editFleet(ws, /maxReplicas: (\d+)/, 'maxReplicas: 0');
    const result = synth(ws);
    // THEN the message names cluster and unit, the fleet config line whose factory call created the unit,
    // the unit library line that passed the value, and where it was thrown
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cluster '[a-z0-9-]+', unit '[a-z0-9.-]+' \(project [a-z0-9-]+\) failed to render: /);
    expect(result.stderr).toMatch(/\n {2}created at apps\/fleet\/src\/lib\/(platform|clusters\/[a-z0-9-]+)\/[a-z-]+\.ts:\d+:\d+/);
    expect(result.stderr).toMatch(/ \(the fleet config that created the unit\)\n/);
    expect(result.stderr).toMatch(/\n {2}at charts\/workloads\/[a-z0-9-]+\/src\/lib\/[a-z0-9-]+\.ts:\d+:\d+ \(the code that passed the value\)/);
    expect(result.stderr).toMatch(/\n {2}thrown at libs\/[a-z0-9-]+\/src\/lib\/[a-z0-9-]+\.ts:\d+:\d+/);
    expect(result.stderr).not.toMatch(/dist\/flotilla\/cli\.mjs/);
    expect(git(ws, 'status', '--porcelain', '--', 'clusters')).toBe('');
  });
});

describe('a construct that throws at render time', { timeout: 600_000 }, () => {
  it("is reported with the tenants.ts line that created the unit, through the CLI bundle's source map", () => {
    // GIVEN team-a-web's database (every cluster's; dev renders first) with a subnet group the construct rejects (one subnet is not two zones)
    const ws = copyWorkspace();
    const at = editFleet(ws, /subnetIds: c\.vpc\.databaseSubnets\.subnetIds/, "subnetIds: ['subnet-0a1b2c3d4e5f60001']");
    expect(at.file).toBe('apps/fleet/src/lib/platform/tenants.ts');
    const result = synth(ws);
    // THEN synth fails, naming the teamAWeb({ … }) call of platform/tenants.ts besides the unit library and the throwing line
    expect(result.code, result.stdout).toBe(1);
    expect(result.stderr).toMatch(/cluster 'dev', unit 'team-a-web' \(project team-a-web\) failed to render: /);
    expect(result.stderr).toContain(`\n  created at apps/fleet/src/lib/platform/tenants.ts:${factoryCallLine(ws, at)}:`);
    expect(result.stderr).toMatch(/\n {2}at charts\/workloads\/team-a-web\/src\/lib\/team-a-web\.ts:\d+:\d+ \(the code that passed the value\)/);
    expect(result.stderr).not.toMatch(/dist\/flotilla\/cli\.mjs/);
    expect(git(ws, 'status', '--porcelain', '--', 'clusters')).toBe('');
  });
});

describe('the launcher', () => {
  it('prints the version', () => {
    const result = run(copyWorkspace(), 'node', ['apps/fleet/bin/flotilla.js', '--version']);
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../fleet/package.json'), 'utf8')) as { version: string };
    expect(result).toMatchObject({ code: 0, stdout: `flotilla ${version}\n` });
  });

  it("runs on the workspace's Node when started by an older one", () => {
    // GIVEN the machine's Node (outside node_modules), whatever its version
    const systemNode = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'].find((path) => {
      try {
        return readFileSync(path).length > 0;
      } catch {
        return false;
      }
    });
    expect(systemNode, 'a Node outside the workspace').toBeDefined();
    // WHEN it starts the launcher directly (no npm, no node_modules/.bin on PATH)
    const result = run(copyWorkspace(), systemNode as string, ['apps/fleet/bin/flotilla.js', 'policy', 'verify', 'policies'], {
      PATH: '/usr/bin:/bin',
    });
    // THEN the command runs (on node@24 when the machine's Node is older than 22.12)
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/PASS/);
  });
});

describe('the launcher without a suitable Node', () => {
  const systemNode = '/usr/bin/node';
  const version = run(process.cwd(), systemNode, ['--version']).stdout.trim();
  const old = /^v(\d+)\.(\d+)/.exec(version);
  const tooOld = old !== null && (Number(old[1]) < 22 || (Number(old[1]) === 22 && Number(old[2]) < 12));

  it.runIf(tooOld)(`refuses with the fix when ${version} starts it and node_modules has no Node`, () => {
    // GIVEN a checkout that was never installed (no node_modules)
    const ws = copyWorkspace();
    rmSync(join(ws, 'node_modules'));
    // WHEN the machine's old Node starts the launcher
    const result = run(ws, systemNode, ['apps/fleet/bin/flotilla.js', '--version'], { PATH: '/usr/bin:/bin' });
    // THEN it says what is wrong and how to fix it
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`flotilla needs Node 22.12 or later, but this is Node ${version.slice(1)}`);
    expect(result.stderr).toContain("Fix: run 'npm ci'");
  });
});
