import { App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { findProjectRoots } from '@flotilla/core';
import { fleet } from '../index';
import { repoRoot, workspace } from '../testing';

// A unit's `project` decides its cache outputs and what `nx affected` re-renders, so it must be the Nx project
// the unit's code lives in. This reads where the code really is: the stack of the first construct the unit
// creates names the unit library's file (charts/<platform|workloads>/<folder>/…).
const projectRoots = findProjectRoots(repoRoot);
const UNIT_LIBRARY = /\/(charts\/(?:platform|workloads)\/[^/]+)\/src\//;

/** The unit library folder whose code created the unit's first construct. */
function definingFolder(unit: (typeof fleet.clusters)[number]['units'][number], cluster: (typeof fleet.clusters)[number]): string | undefined {
  const chart = new Chart(new App({ outdir: 'dist/cdk8s-unused' }), unit.name, { disableResourceNameHashes: true });
  // Node.addChild is private in the types; every construct created in the chart calls it.
  const node = chart.node as unknown as { addChild(child: IConstruct, id: string): void };
  const addChild = node.addChild.bind(node);
  let stack: string | undefined;
  node.addChild = (child: IConstruct, id: string) => {
    stack ??= new Error().stack;
    addChild(child, id);
  };
  unit.render(chart, { cluster, workspace });
  // The outermost unit-library frame is the unit's render; constructs it borrows from other unit libraries are above it.
  return stack?.split('\n').map((line) => UNIT_LIBRARY.exec(line)?.[1]).filter(Boolean).at(-1);
}

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('units of cluster %s', (_name, cluster) => {
  it.each(cluster.units.map((unit) => [unit.name, unit] as const))('%s names the Nx project of the folder its code comes from', (_unit, unit) => {
    const folder = definingFolder(unit, cluster);
    expect(folder, `no construct of unit '${unit.name}' was created by a unit library`).toBeDefined();
    expect(projectRoots.get(unit.project), `unit '${unit.name}' names project '${unit.project}', but its code is in ${folder}`).toBe(folder);
  });
});
