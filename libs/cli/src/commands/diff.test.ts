import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffCommand } from './diff';
import { UsageError } from '../lib/command';
import { configMap, dbInstance, fleetRepo, orders, type FleetRepo } from '../testing';

let fixture: FleetRepo;
const io = () => fixture.io();
const DB_FILE = 'clusters/prod/infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml';

beforeEach(async () => {
  // The base commit: the orders unit renders a database and its config, and clusters/ is rendered from it.
  fixture = await fleetRepo('flotilla-cli-diff-', orders(dbInstance(), configMap('info')));
});
afterEach(() => fixture.remove());

describe('flotilla diff', () => {
  it('prints a Markdown report of the working tree’s source against the base commit’s source and exits 0', async () => {
    await fixture.edit(orders(dbInstance(), configMap('debug')));
    fixture.synth();
    const streams = io();

    const code = await diffCommand.run(['--base', 'HEAD'], streams);

    expect(code).toBe(0);
    const commit = fixture.git('rev-parse', 'HEAD').trim().slice(0, 12);
    expect(streams.stdout()).toContain('### Flotilla render diff: `HEAD` → this change');
    expect(streams.stdout()).toContain(`> Base \`HEAD\` (${commit}) rendered from its source by its own synth; head rendered from the working tree's source.`);
    expect(streams.stdout()).toContain('| prod | 0 | 1 | 0 | 0 | 0 |');
    expect(streams.stdout()).toContain('  - `data.LOG_LEVEL`: `"info"` → `"debug"`');
    expect(streams.stdout()).toContain('**:white_check_mark: Destructive-change guard passed.**');
    expect(streams.stdout()).not.toContain('Drift');
    expect(streams.stderr()).toBe('');
  });

  it('reports drift first and exits 1 when the source changed but clusters/ was not re-rendered, with the diff still right', async () => {
    // GIVEN a source change without synth: the committed clusters/ still says info
    await fixture.edit(orders(dbInstance(), configMap('debug')));
    const streams = io();

    const code = await diffCommand.run(['--base', 'HEAD'], streams);

    expect(code).toBe(1);
    const report = streams.stdout();
    expect(report.indexOf('**:warning: Drift: clusters/ differs from a fresh render of this change\'s source in 1 file(s)**')).toBeGreaterThan(0);
    expect(report).toContain('- `clusters/prod/infra-configs/orders/ConfigMap_orders_orders-config.yaml`: differs');
    expect(report).toContain('run `npm run synth` and commit `clusters/`');
    // the drift comes before everything else, and the diff is the source's change all the same
    expect(report.indexOf('Drift')).toBeLessThan(report.indexOf('> Base'));
    expect(report).toContain('  - `data.LOG_LEVEL`: `"info"` → `"debug"`');
    expect(streams.stderr()).toBe(
      "drift: clusters/ differs from a fresh render of the working tree's source in 1 file(s); run 'npm run synth' and commit clusters/\n",
    );
  });

  it('diffs the base’s source, not its committed clusters/, when the base commit was never re-rendered', async () => {
    // GIVEN a base commit whose source says debug but whose committed clusters/ still says info
    await fixture.edit(orders(dbInstance(), configMap('debug')));
    fixture.commit('source only, not rendered');
    fixture.synth();
    const streams = io();

    // WHEN the working tree (now rendered) is compared with that base
    const code = await diffCommand.run(['--base', 'HEAD'], streams);

    // THEN nothing changed between the two sources, and the working tree has no drift
    expect(code).toBe(0);
    expect(streams.stdout()).toMatch(/\nNo changes: the rendered manifests are identical \(1 cluster\)\.\n$/);
  });

  it('prints a per-resource text diff, plain unless --color or a terminal, with the guard verdict', async () => {
    await fixture.edit(orders(configMap('debug')));
    fixture.synth();
    const plain = io();

    expect(await diffCommand.run(['--base', 'HEAD', '--format', 'text'], plain)).toBe(1);

    expect(plain.stdout()).not.toContain('\u001b[');
    expect(plain.stdout()).toContain(`- DBInstance orders/orders  prod · flux-system/orders · ${DB_FILE}  BLOCKED\n`);
    expect(plain.stdout()).toContain('~ ConfigMap orders/orders-config  prod · flux-system/orders');
    expect(plain.stdout()).toContain('\n  - data.LOG_LEVEL: "info"\n  + data.LOG_LEVEL: "debug"\n');
    expect(plain.stdout()).toContain('destructive-change guard failed: 1 blocking change(s)');

    const coloured = io();
    const forced = io();
    await diffCommand.run(['--base', 'HEAD', '--format', 'text'], { ...coloured, outIsTerminal: true });
    await diffCommand.run(['--base', 'HEAD', '--format', 'text', '--color'], forced);
    expect(coloured.stdout()).toContain('\u001b[31m  - data.LOG_LEVEL: "info"\u001b[0m');
    expect(coloured.stdout()).toContain('\u001b[32m  + data.LOG_LEVEL: "debug"\u001b[0m');
    expect(forced.stdout()).toContain('\u001b[31m\u001b[1mBLOCKED\u001b[0m\u001b[0m');
  });

  it('says so in one line when the render did not change', async () => {
    const streams = io();

    expect(await diffCommand.run(['--base', 'HEAD'], streams)).toBe(0);

    expect(streams.stdout()).toMatch(/\nNo changes: the rendered manifests are identical \(1 cluster\)\.\n$/);
  });

  it('fails if the database is removed, naming it on stderr; --no-guard reports but exits 0', async () => {
    await fixture.edit(orders(configMap('info')));
    fixture.synth();
    const guarded = io();
    const unguarded = io();

    expect(await diffCommand.run(['--base', 'HEAD'], guarded)).toBe(1);
    expect(await diffCommand.run(['--base', 'HEAD', '--no-guard'], unguarded)).toBe(0);

    expect(guarded.stderr()).toContain('destructive-change guard failed: 1 blocking change(s)');
    expect(guarded.stderr()).toContain(
      'prod: DBInstance orders/orders (Kustomization flux-system/orders): removed: the ACK RDS controller deletes the DB instance and its data in AWS',
    );
    expect(guarded.stdout()).toContain('- **removed** `DBInstance orders/orders` (rds.services.k8s.aws) — :x: **blocked**');
    expect(unguarded.stderr()).toContain('--no-guard: not failing for the destructive changes above');
  });

  it('accepts the removal when the base carries flotilla.dev/allow-destructive, showing the reason', async () => {
    await fixture.edit(orders(dbInstance({ 'flotilla.dev/allow-destructive': 'orders moved to Aurora' }), configMap('info')));
    fixture.synth();
    fixture.commit('accept deletion');
    await fixture.edit(orders(configMap('info')));
    fixture.synth();
    const streams = io();

    expect(await diffCommand.run(['--base', 'HEAD'], streams)).toBe(0);

    expect(streams.stdout()).toContain('**:warning: Accepted destructive changes (1)**');
    expect(streams.stdout()).toContain('— reason: “orders moved to Aurora”');
  });

  it('writes JSON to --output and prints a one-line summary; drift is in the JSON and on stderr', async () => {
    await fixture.edit(orders(dbInstance(), configMap('debug')));
    fixture.synth();
    const streams = io();

    expect(await diffCommand.run(['--base=HEAD', '--format', 'json', '--output', 'out/diff.json'], streams)).toBe(0);

    expect(streams.stdout()).toBe('wrote out/diff.json: 0 added, 1 changed, 0 removed, 0 renamed, 0 moved; guard passed\n');
    const json = JSON.parse(await readFile(path.join(fixture.repo, 'out/diff.json'), 'utf8'));
    expect(json.totals.changed).toBe(1);
    expect(json.guard.passed).toBe(true);
    expect(json.drift).toBeUndefined();

    await fixture.edit(orders(dbInstance(), configMap('warn')));
    const drifted = io();
    expect(await diffCommand.run(['--base=HEAD', '--format', 'json', '--output', 'out/diff.json'], drifted)).toBe(1);
    expect(drifted.stdout()).toBe('wrote out/diff.json: 0 added, 1 changed, 0 removed, 0 renamed, 0 moved; guard passed; clusters/ drifted\n');
    expect(JSON.parse(await readFile(path.join(fixture.repo, 'out/diff.json'), 'utf8')).drift).toEqual({
      files: [{ file: 'clusters/prod/infra-configs/orders/ConfigMap_orders_orders-config.yaml', state: 'changed' }],
      problems: [],
      fix: "run 'npm run synth' and commit clusters/",
    });
  });

  it('fails naming the commit and the failing step when the base cannot be rendered from source', async () => {
    // GIVEN a base commit from before the render entry point
    fixture.git('rm', '--quiet', 'apps/fleet/bin/flotilla.js');
    fixture.commit('no entry point');
    fixture.git('checkout', '--quiet', 'HEAD~1', '--', 'apps/fleet/bin/flotilla.js');
    const commit = fixture.git('rev-parse', 'HEAD').trim().slice(0, 12);

    await expect(diffCommand.run(['--base', 'HEAD'], io())).rejects.toThrow(
      `cannot render the base HEAD (commit ${commit}): synth failed: it predates Flotilla's render entry point`,
    );
  });

  it('fails if --base is missing or --format is unknown', async () => {
    await expect(diffCommand.run([], io())).rejects.toThrow(
      new UsageError("--base is required: the git revision to compare with, e.g. 'flotilla diff --base origin/main'"),
    );
    await expect(diffCommand.run(['--base', 'HEAD', '--format', 'html'], io())).rejects.toThrow(
      '--format html is not supported; use markdown, json or text',
    );
    await expect(diffCommand.run(['main'], io())).rejects.toThrow('did you mean --base main?');
  });
});
