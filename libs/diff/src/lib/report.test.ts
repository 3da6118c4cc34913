import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@flotilla/model';
import { configMap, dbInstance, deployment, diffUnits, namespace, type Unit } from '../testing';
import { ALLOW_DESTRUCTIVE, guardDiff } from './guard';
import { describeFieldChange, renderDiffJson, renderDiffMarkdown } from './report';

const web = (objects: readonly KubeObject[]): Unit => ({ layer: 'apps', name: 'web', objects });
const db = (objects: readonly KubeObject[]): Unit => ({ layer: 'infra-configs', name: 'orders-db', objects });


const baseWeb = web([deployment('team-a', 'web'), configMap('team-a', 'web-config', { LOG_LEVEL: 'info' })]);
const headWeb = web([deployment('team-a', 'web', { replicas: 3 }), configMap('team-a', 'web-settings', { LOG_LEVEL: 'info' })]);

describe('renderDiffMarkdown', () => {
  it('says so in one line when nothing changed', () => {
    const diff = diffUnits({ dev: [baseWeb], prod: [baseWeb] }, { dev: [baseWeb], prod: [baseWeb] });

    expect(renderDiffMarkdown(diff)).toBe('### Flotilla render diff\n\nNo changes: the rendered manifests are identical (2 clusters).\n');
  });

  it('shows a count table per changed cluster, then details per Flux Kustomization', () => {
    const diff = diffUnits({ dev: [baseWeb], prod: [baseWeb] }, { dev: [baseWeb], prod: [headWeb] });

    const markdown = renderDiffMarkdown(diff, undefined, { title: 'Render diff against `main`', notes: ['base rendered with its own synth'] });

    expect(markdown).toBe(
      [
        '### Render diff against `main`',
        '',
        '> base rendered with its own synth',
        '',
        '| Cluster | Added | Changed | Removed | Renamed | Moved |',
        '| --- | --: | --: | --: | --: | --: |',
        '| prod | 0 | 1 | 0 | 1 | 0 |',
        '',
        'Unchanged: dev.',
        '',
        '<details><summary><b>prod</b>: 1 changed, 1 renamed</summary>',
        '',
        '**Kustomization `flux-system/web`** (`clusters/prod/apps/web`)',
        '',
        '- **renamed** `ConfigMap team-a/web-config` → `ConfigMap team-a/web-settings`',
        '- **changed** `Deployment team-a/web` (apps)',
        '  - `spec.replicas`: `2` → `3`',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('puts the guard verdict under the table and marks blocked and accepted resources', () => {
    const accepted = dbInstance('orders', 'legacy', { annotations: { [ALLOW_DESTRUCTIVE]: 'migrated to Aurora' } });
    const diff = diffUnits({ prod: [db([namespace('orders'), dbInstance('orders', 'orders'), accepted])] }, { prod: [db([namespace('orders')])] });

    const markdown = renderDiffMarkdown(diff, guardDiff(diff));

    expect(markdown).toContain('**:x: Destructive-change guard: 1 blocking change**');
    expect(markdown).toContain(
      '- `prod` · **`DBInstance orders/orders`** (Kustomization `flux-system/orders-db`): removed: the ACK RDS controller deletes the DB instance and its data in AWS<br>_Fix:_ ',
    );
    expect(markdown).toContain('**:warning: Accepted destructive changes (1)**');
    expect(markdown).toContain('— reason: “migrated to Aurora”');
    expect(markdown).toContain('- **removed** `DBInstance orders/orders` (rds.services.k8s.aws) — :x: **blocked**');
    expect(markdown).toContain('- **removed** `DBInstance orders/legacy` (rds.services.k8s.aws) — :warning: accepted: “migrated to Aurora”');
  });

  it('cuts details beyond the size limit, counting what is not shown and saying where to get it', () => {
    const maps = (value: string) => web(Array.from({ length: 40 }, (_, i) => configMap('team-a', `config-${i}`, { value })));
    const diff = diffUnits({ a: [maps('old')], b: [maps('old')] }, { a: [maps('new')], b: [maps('new')] });

    const markdown = renderDiffMarkdown(diff, undefined, { maxLength: 2500 });

    expect(markdown.length).toBeLessThanOrEqual(2500);
    expect(markdown).toContain('<summary><b>a</b>: 40 changed</summary>');
    expect(markdown).toContain('- **changed** `ConfigMap team-a/config-0`');
    expect(markdown).toMatch(/_… \d+ more changes in a not shown \(comment size limit\)\._\n\n<\/details>/);
    expect(markdown).not.toContain('<summary><b>b</b>');
    expect(markdown).toContain('_Details of b are left out to keep this comment under 2500 characters; run `flotilla diff --format json` for everything._');
  });
});

describe('describeFieldChange', () => {
  it('prints short values, and only the kind of change for long, multi-line or secret ones', () => {
    expect(describeFieldChange({ path: 'spec.replicas', type: 'changed', before: 2, after: 3 })).toBe('`spec.replicas`: `2` → `3`');
    expect(describeFieldChange({ path: 'data.a', type: 'added', after: 'x' })).toBe('`data.a`: added `"x"`');
    expect(describeFieldChange({ path: 'data.a', type: 'removed', before: 'x' })).toBe('`data.a`: removed (was `"x"`)');
    expect(describeFieldChange({ path: 'data.blob', type: 'changed', long: true })).toBe('`data.blob`: changed');
    expect(describeFieldChange({ path: 'data.s', type: 'changed', long: true, lines: { added: 2, removed: 1 } })).toBe(
      '`data.s`: changed (+2/−1 lines)',
    );
    expect(describeFieldChange({ path: 'data.p', type: 'changed', hidden: true })).toBe('`data.p`: changed (secret value hidden)');
    expect(describeFieldChange({ path: 'data.q', type: 'changed', before: 'a`b', after: 'c' })).toBe('`data.q`: ``"a`b"`` → `"c"`');
  });
});

describe('renderDiffJson', () => {
  it('lists the changes without object bodies, with the guard verdict', () => {
    const diff = diffUnits({ prod: [baseWeb] }, { prod: [headWeb] });

    const json = JSON.parse(renderDiffJson(diff, guardDiff(diff), { notes: ['base: main'] }));

    expect(json.unchanged).toBe(false);
    expect(json.notes).toEqual(['base: main']);
    expect(json.totals).toEqual({ added: 0, changed: 1, removed: 0, renamed: 1, moved: 0 });
    expect(json.guard).toEqual({ passed: true, failures: [], accepted: [], notes: [] });
    const [change] = json.clusters[0].kustomizations[0].changes.filter((c: { type: string }) => c.type === 'changed');
    expect(change).toEqual({
      type: 'changed',
      cluster: 'prod',
      apiGroup: 'apps',
      kind: 'Deployment',
      namespace: 'team-a',
      name: 'web',
      object: 'Deployment team-a/web',
      key: 'apps/Deployment/team-a/web',
      file: 'clusters/prod/apps/web/Deployment_team-a_web.yaml',
      kustomization: 'flux-system/web',
      fields: [{ path: 'spec.replicas', type: 'changed', before: 2, after: 3 }],
    });
  });
});
