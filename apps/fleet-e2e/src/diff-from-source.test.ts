import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, git, run } from './testing';

// `flotilla diff` and `guard` on a copy of this workspace with real commits: both sides are rendered
// from source (the base by its commit's own synth), never read from a committed clusters/.
describe('flotilla diff and guard render both sides from source', () => {
  let ws: string;
  /** TMPDIR of the CLI runs, so the test sees every temporary folder they create. */
  let temps: string;
  const flotilla = (...args: string[]) => run(ws, 'node', ['apps/fleet/bin/flotilla.js', ...args], { TMPDIR: temps });
  const chart = () => join(ws, 'charts/workloads/team-a-web/src/lib/team-a-web.ts');
  const edit = (from: RegExp | string, to: string) => {
    const source = readFileSync(chart(), 'utf8');
    const changed = source.replace(from, to);
    expect(changed, 'team-a-web changed shape; update this test').not.toBe(source);
    writeFileSync(chart(), changed);
  };
  const commit = (message: string) => {
    git(ws, 'add', '-A');
    git(ws, '-c', 'user.name=flotilla-test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', message);
  };

  beforeAll(() => {
    ws = copyWorkspace();
    temps = mkdtempSync(join(tmpdir(), 'flotilla-diff-tmp-'));
    // The base: team-a-web's image changed in the source and committed WITHOUT re-rendering, so the
    // base commit's clusters/ is stale; the working tree then renders it (no drift).
    // (team-a's dev autoscaling ceiling in the catalog: a short value the diff prints)
    const catalog = join(ws, 'apps/fleet/src/lib/teams/team-a.ts');
    const source = readFileSync(catalog, 'utf8');
    const changed = source.replace('dev: {\n      web: { minReplicas: 1, maxReplicas: 2 }', 'dev: {\n      web: { minReplicas: 1, maxReplicas: 5 }');
    expect(changed, 'team-a changed shape; update this test').not.toBe(source);
    writeFileSync(catalog, changed);
    commit('change the image, forget to render');
    const synth = flotilla('synth');
    expect(synth.code, synth.stderr).toBe(0);
  }, 600_000);
  afterAll(() => {
    rmSync(ws, { recursive: true, force: true });
    rmSync(temps, { recursive: true, force: true });
  });

  it('diffs the base commit’s source, not its stale committed clusters/', () => {
    // WHEN the rendered working tree is compared with the base whose clusters/ was never rendered
    const same = flotilla('diff', '--base', 'HEAD');

    // THEN the two sources render the same: no changes (the committed tree would have shown the image)
    expect(same.code, same.stderr).toBe(0);
    const commit = git(ws, 'rev-parse', 'HEAD').trim().slice(0, 12);
    expect(same.stdout).toContain(`> Base \`HEAD\` (${commit}) rendered from its source by its own synth; head rendered from the working tree's source.`);
    expect(same.stdout).toMatch(/No changes: the rendered manifests are identical \(3 clusters\)\.\n$/);

    // AND against the commit before, only the autoscaling ceiling changed
    const before = flotilla('diff', '--base', 'HEAD~1', '--format', 'json');
    expect(before.code, before.stderr).toBe(0);
    const report = JSON.parse(before.stdout) as { totals: Record<string, number>; clusters: { kustomizations: { changes: { type: string; fields: { path: string; after: unknown }[] }[] }[] }[] };
    const changes = report.clusters.flatMap((cluster) => cluster.kustomizations.flatMap((k) => k.changes));
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      expect(change.type).toBe('changed');
      for (const field of change.fields) {
        expect(field.path).toBe('spec.maxReplicas');
        expect(field.after).toBe(5);
      }
    }
    expect(report.totals).toMatchObject({ added: 0, removed: 0, renamed: 0, moved: 0 });

    // AND no temporary folder is left behind
    expect(readdirSync(temps)).toEqual([]);
  }, 600_000);

  it('blocks an RDS rename from source without a re-render, reporting the drift first (guard and diff exit 1)', () => {
    // GIVEN team-a-web's database renamed in the source, clusters/ not re-rendered
    edit("database: 'web-db',", "database: 'web-database',");

    // WHEN the guard compares it with the committed revision
    const guard = flotilla('guard', '--base', 'HEAD');

    // THEN it fails: drift first, then the replacement found by rendering the source
    expect(guard.code).toBe(1);
    const lines = guard.stdout.split('\n');
    expect(lines[0]).toMatch(/^drift: clusters\/ differs from a fresh render of this change's source in \d+ file\(s\)/);
    expect(guard.stdout).toMatch(/\n {2}(missing|changed|stale) +clusters\/prod\/apps\/team-a-web\/DBInstance\.rds\.services\.k8s\.aws_team-a_web-db\.yaml\n/);
    expect(guard.stdout).toContain("run 'npm run synth' and commit clusters/");
    expect(guard.stdout).toContain('(cached)');
    expect(guard.stdout).toContain(
      'prod: DBInstance team-a/web-db (Kustomization flux-system/team-a-web): replaced by DBInstance web-database: the RDS instance web-db is orphaned in AWS (retained) and web-database is created empty; data stays in web-db and the app now points at an empty database (rename back to web-db, or migrate the data and then add flotilla.dev/allow-destructive: "<reason>" to web-database)',
    );
    expect(guard.stdout).toContain('destructive-change guard failed');
    expect(guard.stdout.indexOf('drift:')).toBeLessThan(guard.stdout.indexOf('destructive-change guard failed'));

    // AND the diff says the same, drift first, even with --no-guard
    const diff = flotilla('diff', '--base', 'HEAD', '--no-guard');
    expect(diff.code).toBe(1);
    expect(diff.stdout.indexOf('**:warning: Drift:')).toBeGreaterThan(0);
    expect(diff.stdout.indexOf('**:warning: Drift:')).toBeLessThan(diff.stdout.indexOf('| Cluster |'));
    expect(diff.stdout).toContain('`DBInstance team-a/web-database`');
    expect(diff.stderr).toContain("drift: clusters/ differs from a fresh render of the working tree's source");
    expect(readdirSync(temps)).toEqual([]);
  }, 600_000);
});
