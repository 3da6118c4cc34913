import type { Tree } from '@nx/devkit';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findRepoRoot } from '@flotilla/model';

/** The repository root: the nearest folder above this file with nx.json. */
export const repoRoot = findRepoRoot(__dirname);

/** Copies real workspace files (folders recursively) into a virtual tree, so generators edit what they will edit for real. */
export function seedFromWorkspace(tree: Tree, ...paths: string[]): void {
  for (const path of paths) {
    const absolute = join(repoRoot, path);
    if (statSync(absolute).isDirectory()) {
      for (const entry of readdirSync(absolute, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
          const file = join(entry.parentPath, entry.name);
          tree.write(relative(repoRoot, file), readFileSync(file));
        }
      }
    } else {
      tree.write(path, readFileSync(absolute));
    }
  }
}

/**
 * Replaces a cluster's platform-configs.ts in the tree with one whose Gatekeeper constraints are
 * exactly `constraints`, so tests of constraint handling do not depend on the example fleet's values.
 */
export function withConstraints(tree: Tree, cluster: string, constraints: { allowedRepositories?: string[]; requireImageDigests?: boolean; costCenterPattern?: string }): void {
  const literal = JSON.stringify(constraints).replace(/"([A-Za-z]+)":/g, '$1: ').replace(/"/g, "'");
  tree.write(
    `apps/fleet/src/lib/clusters/${cluster}/platform-configs.ts`,
    `import type { Unit } from '@flotilla/config';\nimport { gatekeeperPolicies } from '@flotilla/charts/platform/gatekeeper-policies';\nimport type { FleetCluster } from '../../fleet-defaults';\n\nexport const platformConfigs = (_c: FleetCluster): Unit[] => [...gatekeeperPolicies({ constraints: ${literal} })];\n`,
  );
}

/**
 * Turns the seeded example fleet (dev → staging → prod) back into a fleet without `staging`, the
 * starting point the generator tests add a cluster and a new environment to: its folder, its
 * FleetEnvironment member and stage, its fleet entry and every catalog team's settings for it.
 */
export function withoutStaging(tree: Tree): void {
  const edit = (file: string, change: (text: string) => string) => {
    const text = tree.read(file, 'utf-8');
    if (text === null) throw new Error(`withoutStaging: ${file} is not seeded`);
    const changed = change(text);
    if (changed === text) throw new Error(`withoutStaging: ${file} has no staging entry to remove; update this helper`);
    tree.write(file, changed);
  };
  tree.delete('apps/fleet/src/lib/clusters/staging');
  edit('apps/fleet/src/lib/fleet-defaults.ts', (text) => text.replace("'dev' | 'staging' | 'prod'", "'dev' | 'prod'").replace("['dev', 'staging', 'prod']", "['dev', 'prod']"));
  edit('apps/fleet/src/index.ts', (text) => text.replace("import { staging } from './lib/clusters/staging/index';\n", '').replace(/, staging\b|\bstaging, /g, ''));
  for (const team of ['dj', 'imagegen', 'team-a']) {
    edit(`apps/fleet/src/lib/teams/${team}.ts`, (text) => text.replace(/\n {4}staging: \{[^\n]*\},(?=\n)/, '').replace(/\n {4}staging: \{\n[\s\S]*?\n {4}\},(?=\n)/, ''));
  }
}
