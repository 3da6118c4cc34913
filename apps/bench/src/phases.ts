// Run with tsx inside a benchmark workspace (cwd = its root, clusters/ empty): where one full render's
// time goes, in process. Times the fleet import, a render alone (planRender: construct tree, toJson,
// YAML emit) and then synth with each of the CLI's checks wrapped in a timer; compare + write is
// what remains of synth. Prints JSON. Approximate: one run, after the import.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Fleet } from '@flotilla/config';
import { findProjectRoots, planRender, synth, type Check } from '@flotilla/core';

export interface PhaseSplit {
  readonly importMs: number;
  readonly renderMs: number;
  readonly renderAgainMs: number;
  readonly checksMs: { name: string; ms: number }[];
  readonly synthMs: number;
  readonly writeMs: number;
  /** Peak RSS (MiB) of the process so far, after each step: where memory grows. */
  readonly peakMiB: { after: string; mib: number }[];
}

const CHECK_NAMES = ['schemas + CRD CEL rules', 'Secret guard', 'field values', 'Helm values', 'references', 'tenant units', 'constraint parameters', 'policies', 'scheduling'];

const peak = () => process.resourceUsage().maxRSS / 1024;

async function main(): Promise<void> {
  const root = process.cwd();
  const peakMiB: { after: string; mib: number }[] = [{ after: 'start (tsx loaded)', mib: peak() }];
  const started = performance.now();
  // The benchmark fleet and the CLI's own check list, read from the workspace being benchmarked (computed paths).
  const { fleet } = (await import(pathToFileURL(join(root, 'apps/fleet/src/index.ts')).href)) as { fleet: Fleet };
  const checksModule = pathToFileURL(join(root, 'libs/cli/src/lib/fleet-checks.ts')).href;
  const { fleetChecks } = (await import(checksModule)) as { fleetChecks: (policiesDir: string) => Check[] };
  const workspace = { policiesDir: join(root, 'policies') };
  const projectRoots = findProjectRoots(root);
  const importMs = performance.now() - started;
  peakMiB.push({ after: 'import', mib: peak() });

  const time = (run: () => void) => {
    const at = performance.now();
    run();
    return performance.now() - at;
  };
  const renderMs = time(() => planRender(fleet, {}, { projectRoots, workspace }));
  peakMiB.push({ after: 'render', mib: peak() });
  const checks = fleetChecks(workspace.policiesDir);
  const lastCluster = fleet.clusters[fleet.clusters.length - 1]?.name;
  const names = checks.length === CHECK_NAMES.length ? CHECK_NAMES : checks.map((_, i) => `check ${i + 1}`);
  const spent = checks.map(() => 0);
  const timed: Check[] = checks.map((check, i) => (input) => {
    const at = performance.now();
    try {
      return check(input);
    } finally {
      spent[i]! += performance.now() - at;
      if (input.cluster.name === lastCluster) peakMiB.push({ after: `synth: render + checks up to ${names[i]}`, mib: peak() });
    }
  });
  const synthMs = time(() => synth({ repoRoot: root, fleet, checks: timed, projectRoots, fleetSource: 'apps/fleet', workspace }));
  peakMiB.push({ after: 'synth: compare + write', mib: peak() });
  const renderAgainMs = time(() => planRender(fleet, {}, { projectRoots, workspace }));
  const checksTotal = spent.reduce((sum, ms) => sum + ms, 0);
  const split: PhaseSplit = {
    importMs,
    renderMs,
    renderAgainMs,
    checksMs: names.map((name, i) => ({ name, ms: spent[i]! })),
    synthMs,
    writeMs: Math.max(0, synthMs - checksTotal - renderAgainMs),
    peakMiB,
  };
  process.stdout.write(`${JSON.stringify(split)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`phases: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
