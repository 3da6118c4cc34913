import { clusterPath, type Fleet } from '@flotilla/config';
import { unitFolder } from './flux-layout';
import { headerFor } from './header';
import { SynthError } from './synth-error';

/** Where GitHub reads code owners from; synth owns it (generated header) like its cluster files. */
export const CODEOWNERS_FILE = '.github/CODEOWNERS';

/**
 * `.github/CODEOWNERS` from the fleet: the platform group owns everything, then each apps-layer
 * unit's team (by its Flux `targetNamespace`) owns the unit's library and its rendered folders.
 * GitHub lets the last matching line win, so the team lines come after `*`.
 */
export function renderCodeOwners(fleet: Fleet, projectRoots: ReadonlyMap<string, string>, fleetSource: string): string | undefined {
  const owners = fleet.codeowners;
  if (!owners) return undefined;
  const lines = new Map<string, string>();
  const own = (path: string, group: string, where: string) => {
    const previous = lines.get(path);
    if (previous && previous !== group) {
      throw new SynthError('synth/codeowners-conflict', `${where}: ${path} is owned by both ${previous} and ${group}; give the unit one team on every cluster`);
    }
    lines.set(path, group);
  };
  for (const cluster of fleet.clusters) {
    for (const unit of cluster.units) {
      if (unit.layer !== 'apps') continue;
      const where = `cluster '${cluster.name}', unit '${unit.name}'`;
      const namespace = unit.flux?.targetNamespace ?? '';
      const group = owners.teams[namespace];
      if (!group) {
        throw new SynthError(
          'synth/codeowners-missing-team',
          `${where}: no code owner for namespace '${namespace}'; add it to the fleet's 'codeowners.teams' (e.g. '${namespace}': '@org/${namespace}')`,
        );
      }
      const root = projectRoots.get(unit.project);
      if (root) own(`/${root}/`, group, where);
      own(`/${clusterPath(cluster)}/${unitFolder(unit)}/`, group, where);
    }
  }
  const width = Math.max(1, ...[...lines.keys()].map((path) => path.length));
  const body = [...lines.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([path, group]) => `${path.padEnd(width)} ${group}`);
  return `${headerFor(fleetSource)}# The platform group owns everything; each team owns its workload units (the last matching line wins).\n${'*'.padEnd(width)} ${owners.platform}\n${body.join('\n')}\n`;
}
