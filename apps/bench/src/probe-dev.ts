// Run with tsx inside a benchmark workspace (cwd = its root), before its fleet is replaced: renders
// the example dev cluster's units and prints (JSON) what the generated fleet has to add or respect —
// which CRD groups dev's HelmReleases install, whether dev renders Gatekeeper constraints, and the
// image repositories its FlotillaAllowedRepos constraints allow. Dev's files are filled by other
// helpers while this benchmark exists, so the generator adapts to their state instead of assuming it.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { ClusterConfig } from '@flotilla/config';
import { renderUnit } from '@flotilla/core';
import { INSTALLS_CRDS_ANNOTATION } from '@flotilla/model';

export interface DevProbe {
  unitNames: string[];
  installedGroups: string[];
  namespaces: string[];
  constraintCount: number;
  constraintTemplateCount: number;
  /** Union of the repos of dev's FlotillaAllowedRepos constraints; empty when there are none. */
  allowedRepos: string[];
  objectCount: number;
  kubernetesVersion: string;
}

async function main(): Promise<void> {
  const root = process.cwd();
  // A computed path: the dev cluster file is read from the workspace being benchmarked.
  const devModule = pathToFileURL(join(root, 'apps/fleet/src/lib/clusters/dev/index.ts')).href;
  const { dev } = (await import(devModule)) as { dev: ClusterConfig };
  const probe: DevProbe = {
    unitNames: [],
    installedGroups: [],
    namespaces: [],
    constraintCount: 0,
    constraintTemplateCount: 0,
    allowedRepos: [],
    objectCount: 0,
    kubernetesVersion: dev.kubernetesVersion,
  };
  for (const unit of dev.units) {
    probe.unitNames.push(unit.name);
    for (const object of renderUnit(unit, dev, { policiesDir: join(root, 'policies') })) {
      probe.objectCount++;
      const groups = object.metadata?.annotations?.[INSTALLS_CRDS_ANNOTATION];
      if (object.kind === 'HelmRelease' && groups) probe.installedGroups.push(...groups.split(',').map((group) => group.trim()));
      if (object.kind === 'Namespace' && object.metadata?.name) probe.namespaces.push(object.metadata.name);
      if (object.kind === 'ConstraintTemplate') probe.constraintTemplateCount++;
      if (object.apiVersion.startsWith('constraints.gatekeeper.sh/')) {
        probe.constraintCount++;
        const repos = (object.spec as { parameters?: { repos?: string[] } } | undefined)?.parameters?.repos;
        if (object.kind === 'FlotillaAllowedRepos' && repos) probe.allowedRepos.push(...repos);
      }
    }
  }
  process.stdout.write(`${JSON.stringify(probe)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`probe-dev: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
