import type { Tree } from '@nx/devkit';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The repository root: the nearest folder above this file with nx.json. */
export const repoRoot = findRoot(__dirname);

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${start}`);
  }
}

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
