import type { AffectedCase, AffectedResult } from './affected';
import type { Measured } from './measure';
import type { Target } from './report';

const ratio = (c: AffectedCase) => `${c.paired.ratio.median.toFixed(2)} (${c.paired.ratio.min.toFixed(2)}–${c.paired.ratio.max.toFixed(2)})`;

/** B's targets (issue 17): one app ≤ 1.0 s; many units and a cluster config change never slower than a full render. */
export function affectedTargets(b: AffectedResult): Target[] {
  const oneApp = b.oneApp.paired.a.seconds.median;
  return [
    { name: 'B one-app change: affected synth + drift check', target: '≤ 1.0 s', value: `${oneApp.toFixed(3)} s`, met: oneApp <= 1 },
    { name: `B ${b.manyApps.projects} units changed, against a full render (paired)`, target: '≤ 1×', value: `${b.manyApps.paired.ratio.median.toFixed(2)}×`, met: b.manyApps.paired.ratio.median <= 1 },
    { name: 'B cluster config change (every unit), against a full render (paired)', target: '≤ 1×', value: `${b.clusterConfig.paired.ratio.median.toFixed(2)}×`, met: b.clusterConfig.paired.ratio.median <= 1 },
  ];
}

/** B's rows of the figures table. */
export function affectedRows(b: AffectedResult, row: (label: string, measured: Measured, note?: string) => string): string[] {
  const load = (c: AffectedCase) => `load ${c.load.map((v) => v.toFixed(1)).join(' → ')}`;
  return [
    row(
      `**B** one app changed: \`node apps/fleet/bin/flotilla.js synth --base <base> --head HEAD\` + drift check (\`git add -N clusters; git diff --exit-code\`), Nx settings as CI`,
      b.oneApp.paired.a,
      `${b.oneApp.project}: "${b.oneApp.decision}"; ${load(b.oneApp)}`,
    ),
    row('B one app changed: a full render (`flotilla synth`) + the same drift check, paired', b.oneApp.paired.b, `B / full ${ratio(b.oneApp)}`),
    row(`B ${b.manyApps.projects} apps changed (one line each)`, b.manyApps.paired.a, `"${b.manyApps.decision}"; ${load(b.manyApps)}`),
    row(`B ${b.manyApps.projects} apps changed: full render, paired`, b.manyApps.paired.b, `B / full ${ratio(b.manyApps)}`),
    row("B cluster config changed (dev's index.ts: an override of its settings, run by every bench cluster)", b.clusterConfig.paired.a, `"${b.clusterConfig.decision}"; ${load(b.clusterConfig)}`),
    row('B cluster config changed: full render, paired', b.clusterConfig.paired.b, `B / full ${ratio(b.clusterConfig)}`),
    row('B one app changed, through Nx tasks: `nx affected -t synth --skip-nx-cache` + drift check', b.nxTasks.measured, `tasks: ${b.nxTasks.tasks.join(', ')}`),
  ];
}
