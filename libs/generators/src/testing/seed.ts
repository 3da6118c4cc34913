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
 * Sets the image constraints of `environment` in the tree's platform/settings.ts
 * (`platformSettings.<environment>.constraints`), so tests of constraint handling do not depend on
 * the example fleet's values.
 */
export function withConstraints(tree: Tree, environment: string, constraints: { allowedPublicRepositories: string[]; requireImageDigests: boolean }): void {
  const path = 'apps/fleet/src/lib/platform/settings.ts';
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`withConstraints: ${path} is not seeded`);
  const entry = new RegExp(`(\\n  ${environment}: \\{[\\s\\S]*?\\n {4}constraints: )(\\{[^\\n]*\\}|\\{\\n[\\s\\S]*?\\n {4}\\}),\\n`);
  if (!entry.test(text)) throw new Error(`withConstraints: no 'constraints' of '${environment}' in ${path}; update this helper`);
  const literal = `{ allowedPublicRepositories: [${constraints.allowedPublicRepositories.map((r) => `'${r}'`).join(', ')}], requireImageDigests: ${constraints.requireImageDigests} }`;
  tree.write(path, text.replace(entry, (_, head: string) => `${head}${literal},\n`));
}
