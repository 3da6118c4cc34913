import type { Tree } from '@nx/devkit';

/** The tenants.ts of a new cluster: the shape of the example clusters' file, with no teams and no apps yet. */
export function resolveTenantsTemplate(_tree: Tree, _copyFrom: string | undefined): string {
  return `import type { Unit } from '@flotilla/config';\n\n/** Teams and their apps on this cluster. */\nexport const tenants: Unit[] = [];\n`;
}
