import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyWorkspace, run } from './testing';

describe('flotilla guard on a renamed database', () => {
  it('blocks renaming team-a-web’s RDS instance web-db → web-database (retained, but the new one starts empty)', () => {
    // GIVEN a copy of the workspace where team-a-web's database is renamed in the chart and re-rendered
    const ws = copyWorkspace();
    try {
      const chart = join(ws, 'charts/workloads/team-a-web/src/lib/team-a-web.ts');
      writeFileSync(chart, readFileSync(chart, 'utf8').replace("database: 'web-db',", "database: 'web-database',"));
      expect(run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'synth', '--cluster', 'prod']).code).toBe(0);

      // WHEN the guard compares it with the committed revision
      const result = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'guard', '--base', 'HEAD']);

      // THEN it fails, saying what happens to the data and how to proceed
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        'prod: DBInstance team-a/web-db (Kustomization flux-system/team-a-web): replaced by DBInstance web-database: the RDS instance web-db is orphaned in AWS (retained) and web-database is created empty; data stays in web-db and the app now points at an empty database (rename back to web-db, or migrate the data and then add flotilla.dev/allow-destructive: "<reason>" to web-database)',
      );
      expect(result.stdout).toContain('destructive-change guard failed');
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  }, 600_000);
});
