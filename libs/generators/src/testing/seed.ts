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
