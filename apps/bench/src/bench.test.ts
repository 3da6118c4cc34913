import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Measured, Paired } from './measure';
import { rerender, runBenchmark, type BenchResult } from './main';

// The quick mode of `npm run bench`: a small fleet, one run, no warm-up. It asserts nothing about
// timing, only that every figure is produced and sane, so the benchmark cannot rot unnoticed.
describe('npm run bench -- --quick', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'flotilla-bench-test-'));
  const out = join(outDir, 'benchmarks.md');
  let result: BenchResult | undefined;
  const run = () => (result ??= runBenchmark({ quick: true, out }));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const finitePositive = (value: number) => Number.isFinite(value) && value > 0;
  const expectMeasured = (measured: Measured, options: { node: boolean }) => {
    for (const value of [measured.seconds.median, measured.seconds.min, measured.seconds.max]) expect(finitePositive(value), measured.label).toBe(true);
    expect(measured.seconds.runs).toBeGreaterThanOrEqual(1);
    if (options.node) {
      expect(finitePositive(measured.peakMiB.median), `${measured.label} peak RSS`).toBe(true);
      expect(finitePositive(measured.cpuSeconds.median), `${measured.label} CPU`).toBe(true);
    }
  };
  const expectPaired = (paired: Paired) => {
    expect(finitePositive(paired.ratio.median), paired.label).toBe(true);
    expect(paired.ratio.runs).toBe(paired.aSamples.length);
    expectMeasured(paired.a, { node: true });
    expectMeasured(paired.b, { node: true });
  };

  it('renders the generated fleet with every check passing, the object counts matching its size', () => {
    const { shape, counts } = run();
    expect(shape).toEqual({ clusters: 2, apps: 10, teams: 2 });
    expect(counts.appObjects).toBe(2 * 10 * 7);
    // cdk8s baseline renders exactly the apps: clusters × apps × 7 objects.
    expect(counts.baselineObjects).toBe(counts.appObjects);
    // synth renders the apps plus dev's units, the tenants and the Flux Kustomizations.
    expect(counts.rendered).toBeGreaterThan(counts.appObjects);
    expect(counts.documents).toBeGreaterThanOrEqual(counts.rendered);
    expect(counts.files).toBeGreaterThan(counts.appObjects);
  });

  it('produces every timing figure: A, B, the baselines and kustomize', () => {
    const figures = run();
    expect(figures.largeFile?.objects).toBe(7_000);
    expectMeasured(figures.largeFile!.measured, { node: true });
    expectMeasured(figures.full, { node: true });
    expectPaired(figures.vsCdk8s);
    expectPaired(figures.vsYaml);
    expectMeasured(figures.jsonFloor, { node: true });
    // B: one app renders per project, the many-app change too (a tenth of the units or fewer), a cluster config change falls back to one full render.
    const { oneApp, manyApps, clusterConfig, nxTasks } = figures.affected;
    for (const change of [oneApp, manyApps, clusterConfig]) expectPaired(change.paired);
    expect(oneApp.decision).toMatch(new RegExp(`^1 of \\d+ unit projects affected since \\w+ \\(at HEAD\\): ${oneApp.project}$`));
    expect(manyApps.decision).toMatch(new RegExp(`^${manyApps.projects} of \\d+ unit projects affected`));
    expect(clusterConfig.decision).toMatch(/^apps\/fleet\/src\/lib\/clusters\/dev\/index\.ts changed .*, an input of fleet-scaffold:synth: one full render$/);
    // Through Nx, the one-line change runs the changed app's task alone (not the fleet-level synth).
    expectMeasured(nxTasks.measured, { node: true });
    expect(nxTasks.tasks).toEqual([oneApp.project]);
    expectMeasured(figures.kustomize.measured, { node: false });
    expect(figures.kustomize.objects).toBeGreaterThan(0);
  });

  it('measures throughput over every rendered object with no findings', () => {
    const { throughput, counts } = run();
    expect(throughput.clusters).toBe(2);
    // The fixture holds every document; kustomization.yaml lists are not objects.
    expect(throughput.objects).toBeGreaterThanOrEqual(counts.rendered);
    expect(throughput.objects).toBeLessThan(counts.documents);
    expect(throughput.schemaErrors).toBe(0);
    expect(throughput.violations).toBe(0);
    expect(throughput.constraints).toBeGreaterThan(0);
    expect(finitePositive(throughput.objectsPerSecond)).toBe(true);
    expect(finitePositive(throughput.pairsPerSecond)).toBe(true);
    expect(Number.isFinite(throughput.schemaCompileMs)).toBe(true);
  });

  it('splits one render into phases', () => {
    const { phases } = run();
    for (const value of [phases.importMs, phases.renderMs, phases.renderAgainMs, phases.synthMs]) expect(finitePositive(value)).toBe(true);
    expect(phases.checksMs.length).toBeGreaterThanOrEqual(3);
    for (const check of phases.checksMs) expect(Number.isFinite(check.ms) && check.ms >= 0, check.name).toBe(true);
    expect(phases.checksMs.reduce((sum, check) => sum + check.ms, 0)).toBeLessThanOrEqual(phases.synthMs);
  });

  it('writes the report with every target judged and a profile summary', () => {
    const { targets, profile } = run();
    expect(targets).toHaveLength(11);
    for (const target of targets) expect(typeof target.met).toBe('boolean');
    expect(profile.modules.length).toBeGreaterThan(3);
    expect(profile.functions.length).toBeGreaterThan(3);
    expect(finitePositive(profile.totalMs)).toBe(true);
    expect(existsSync(out)).toBe(true);
    const report = readFileSync(out, 'utf8');
    expect(report).toContain('## Targets');
    expect(report).toContain('2 clusters × 10 apps');
    expect(report).not.toMatch(/NaN/);
  });

  it('re-renders the report byte for byte from the figures it embeds', () => {
    run();
    const before = readFileSync(out, 'utf8');
    rerender(out);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });
}, 600_000);
