import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appProps, repoRoot, workloadSource, type BenchWorkspace } from './workspace';

/**
 * Baseline 1: a project as `cdk8s init typescript-app` sets it up (its cdk8s.yaml `app:` and
 * tsconfig.json, ts-node, node_modules linked) whose main.ts renders the same app charts as the
 * bench fleet, one Chart per app and cluster in one App, with no validation.
 */
export function createBaselineProject(workspace: BenchWorkspace): string {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-cdk8s-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'tsconfig.json'), readFileSync(join(repoRoot, 'node_modules/cdk8s-cli/templates/typescript-app/tsconfig.json')));
  // init's cdk8s.yaml minus `imports: [k8s]`: cdk8s-plus-28 brings the k8s L1s (cdk8s import needs network).
  writeFileSync(join(dir, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node main.ts\n');
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'bench-cdk8s-baseline', version: '0.0.0', private: true, main: 'main.js' }, null, 2)}\n`);
  writeFileSync(join(dir, 'workload.ts'), workloadSource());
  const props = workspace.apps.map((app) => appProps(app.index, app.team, workspace.registry));
  writeFileSync(
    join(dir, 'main.ts'),
    `import { App, Chart } from 'cdk8s';
import { BenchApp, BenchAppProps } from './workload';

const apps: BenchAppProps[] = ${JSON.stringify(props, null, 2)};

const app = new App();
for (const cluster of ${JSON.stringify(workspace.clusterNames)}) {
  for (const props of apps) {
    const chart = new Chart(app, cluster + '-' + props.name, { disableResourceNameHashes: true });
    new BenchApp(chart, 'App', props);
  }
}
app.synth();
`,
  );
  return dir;
}
