import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiffCommand, diffCommand } from './diff';
import { UsageError } from '../lib/command';
import { configMap, dbInstance, renderedRepo, type RenderedRepo } from '../testing';

let fixture: RenderedRepo;
let repo: string;
const git = (...args: string[]) => fixture.git(...args);
const render = (files: Record<string, string>) => fixture.render(files);
const io = () => fixture.io();

beforeEach(async () => {
  fixture = await renderedRepo('flotilla-cli-diff-');
  repo = fixture.repo;
});
afterEach(() => fixture.remove());

describe('flotilla diff', () => {
  it('prints a Markdown report of the working tree against the base and exits 0', async () => {
    await render({
      'infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml': dbInstance(),
      'infra-configs/orders/ConfigMap_orders_orders-config.yaml': configMap('debug'),
    });
    const streams = io();

    const code = await diffCommand.run(['--base', 'HEAD'], streams);

    expect(code).toBe(0);
    expect(streams.stdout()).toContain('### Flotilla render diff: `HEAD` → this change');
    expect(streams.stdout()).toContain('> Base `HEAD` is its committed `clusters/` (not re-rendered: HEAD has no apps/fleet/bin/flotilla.js)');
    expect(streams.stdout()).toContain('| prod | 0 | 1 | 0 | 0 | 0 |');
    expect(streams.stdout()).toContain('  - `data.LOG_LEVEL`: `"info"` → `"debug"`');
    expect(streams.stdout()).toContain('**:white_check_mark: Destructive-change guard passed.**');
    expect(streams.stderr()).toBe('');
  });

  it('prints a per-resource text diff, plain unless --color or a terminal, with the guard verdict', async () => {
    await render({
      'infra-configs/orders/ConfigMap_orders_orders-config.yaml': configMap('debug'),
    });
    const plain = io();

    expect(await diffCommand.run(['--base', 'HEAD', '--format', 'text'], plain)).toBe(1);

    expect(plain.stdout()).not.toContain('\u001b[');
    expect(plain.stdout()).toContain('- DBInstance orders/orders  prod · flux-system/orders · clusters/prod/infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml  BLOCKED\n');
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
    await render({ 'infra-configs/orders/ConfigMap_orders_orders-config.yaml': configMap('info') });
    const guarded = io();
    const unguarded = io();

    expect(await diffCommand.run(['--base', 'HEAD'], guarded)).toBe(1);
    expect(await diffCommand.run(['--base', 'HEAD', '--no-guard'], unguarded)).toBe(0);

    expect(guarded.stderr()).toContain('destructive-change guard failed: 1 blocking change(s)');
    expect(guarded.stderr()).toContain(
      'prod: DBInstance orders/orders (Kustomization flux-system/orders): removed: the ACK RDS controller deletes the DB instance and its data in AWS',
    );
    expect(guarded.stdout()).toContain('- **removed** `DBInstance orders/orders` (rds.services.k8s.aws) — :x: **blocked**');
    expect(unguarded.stderr()).toContain('--no-guard: exiting 0 despite the destructive changes above');
  });

  it('accepts the removal when the base carries flotilla.dev/allow-destructive, showing the reason', async () => {
    await render({
      'infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml': dbInstance(
        '  annotations: {flotilla.dev/allow-destructive: "orders moved to Aurora"}\n',
      ),
      'infra-configs/orders/ConfigMap_orders_orders-config.yaml': configMap('info'),
    });
    git('commit', '--quiet', '-am', 'accept deletion');
    await render({ 'infra-configs/orders/ConfigMap_orders_orders-config.yaml': configMap('info') });
    const streams = io();

    expect(await diffCommand.run(['--base', 'HEAD'], streams)).toBe(0);

    expect(streams.stdout()).toContain('**:warning: Accepted destructive changes (1)**');
    expect(streams.stdout()).toContain('— reason: “orders moved to Aurora”');
  });

  it('writes JSON to --output and prints a one-line summary', async () => {
    await render({
      'infra-configs/orders/DBInstance.rds.services.k8s.aws_orders_orders.yaml': dbInstance(),
      'infra-configs/orders/ConfigMap_orders_orders-config.yaml': configMap('debug'),
    });
    const streams = io();

    expect(await diffCommand.run(['--base=HEAD', '--format', 'json', '--output', 'out/diff.json'], streams)).toBe(0);

    expect(streams.stdout()).toBe('wrote out/diff.json: 0 added, 1 changed, 0 removed, 0 renamed, 0 moved; guard passed\n');
    const json = JSON.parse(await readFile(path.join(repo, 'out/diff.json'), 'utf8'));
    expect(json.totals.changed).toBe(1);
    expect(json.guard.passed).toBe(true);
  });

  it('with --check, stops when clusters/ is not up to date', async () => {
    const command = createDiffCommand({ checkHead: async () => 'changed  clusters/prod/sync/kustomization.yaml' });
    const streams = io();

    expect(await command.run(['--base', 'HEAD', '--check'], streams)).toBe(1);

    expect(streams.stderr()).toContain("clusters/ is not up to date with the charts, so the diff would be wrong; run 'npm run synth' first");
    expect(streams.stdout()).toBe('');
  });

  it('fails if --base is missing or --format is unknown', async () => {
    await expect(diffCommand.run([], io())).rejects.toThrow(
      new UsageError("--base is required: the git revision to compare with, e.g. 'flotilla diff --base origin/main'"),
    );
    await expect(diffCommand.run(['--base', 'HEAD', '--format', 'html'], io())).rejects.toThrow(
      '--format html is not supported; use markdown, json or text',
    );
    await expect(diffCommand.run(['main'], io())).rejects.toThrow("did you mean --base main?");
  });
});
