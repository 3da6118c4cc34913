import { describe, expect, it } from 'vitest';
import { driftFiles, driftJson, driftMarkdown, driftText, hasDrift } from './drift-report';

describe('drift report', () => {
  const drift = {
    missing: ['clusters/dev/apps/web/Service_team-a_web.yaml'],
    changed: ['clusters/dev/apps/web/Deployment_team-a_web.yaml'],
    stale: ['clusters/dev/apps/old/ConfigMap_team-a_old.yaml'],
    problems: ['malformed  clusters/dev/apps/web/x.yaml: it starts with synth\'s header marker, but …'],
  };

  it('lists every file in path order with what is wrong, the problems, and the fix', () => {
    expect(driftText(drift)).toEqual([
      "drift: clusters/ differs from a fresh render of this change's source in 4 file(s); the diff below is rendered from source, but Flux applies the committed files:",
      '  stale    clusters/dev/apps/old/ConfigMap_team-a_old.yaml',
      '  changed  clusters/dev/apps/web/Deployment_team-a_web.yaml',
      '  missing  clusters/dev/apps/web/Service_team-a_web.yaml',
      "  malformed  clusters/dev/apps/web/x.yaml: it starts with synth's header marker, but …",
      "run 'npm run synth' and commit clusters/",
    ]);
    expect(driftJson(drift).files.map((entry) => entry.state)).toEqual(['stale', 'changed', 'missing']);
  });

  it('keeps a pull-request comment short: at most 50 files, then a count', () => {
    const many = { missing: Array.from({ length: 60 }, (_, i) => `clusters/dev/apps/web/f${String(i).padStart(2, '0')}.yaml`), changed: [], stale: [] };
    const lines = driftMarkdown(many);
    expect(lines[0]).toBe("**:warning: Drift: clusters/ differs from a fresh render of this change's source in 60 file(s)**");
    expect(lines.filter((line) => line.startsWith('- `clusters/'))).toHaveLength(50);
    expect(lines).toContain('- … and 10 more');
    expect(driftFiles(many)).toHaveLength(60);
  });

  it('is no drift when nothing differs', () => {
    expect(hasDrift({ missing: [], changed: [], stale: [] })).toBe(false);
    expect(hasDrift(undefined)).toBe(false);
    expect(hasDrift(drift)).toBe(true);
  });
});
