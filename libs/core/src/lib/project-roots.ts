import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PROJECT_FOLDERS = ['apps', 'charts', 'libs'];

/**
 * Maps Nx project names to their folders by reading `project.json` files two levels deep under
 * apps/, charts/ and libs/ (the layout this workspace uses), so rendered headers can name the source.
 */
export function findProjectRoots(repoRoot: string): Map<string, string> {
  const roots = new Map<string, string>();
  for (const top of PROJECT_FOLDERS) {
    for (const candidate of subfolders(join(repoRoot, top)).flatMap((dir) => [dir, ...subfolders(join(repoRoot, top, dir)).map((sub) => `${dir}/${sub}`)])) {
      const file = join(repoRoot, top, candidate, 'project.json');
      if (!existsSync(file)) continue;
      const name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
      if (name) roots.set(name, `${top}/${candidate}`);
    }
  }
  return roots;
}

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
    .map((entry) => entry.name);
}
