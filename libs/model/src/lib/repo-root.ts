import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Walks up from `start` to the folder holding `nx.json`: the workspace root. */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = start;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json found above ${start}; run this from inside the Flotilla workspace`);
    dir = parent;
  }
  return dir;
}
