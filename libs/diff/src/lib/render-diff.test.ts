import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@flotilla/model';
import {
  configMap,
  deployment,
  fleetFiles,
  namespace,
  tempDir,
  writeTree,
  type Unit,
} from '../testing';
import { allChanges, diffRenders, isUnchanged, type RenderDiff } from './render-diff';
import { loadRenderedTree } from './rendered-tree';

let base: { dir: string; remove(): Promise<void> };
let head: { dir: string; remove(): Promise<void> };
beforeEach(async () => {
  base = await tempDir('flotilla-diff-base-');
  head = await tempDir('flotilla-diff-head-');
});
afterEach(async () => {
  await base.remove();
  await head.remove();
});

const web: Unit = {
  layer: 'apps',
  name: 'web',
  objects: [namespace('team-a'), deployment('team-a', 'web'), configMap('team-a', 'web-config', { LOG_LEVEL: 'info' })],
};

async function diffOf(
  baseClusters: Record<string, readonly Unit[]>,
  headClusters: Record<string, readonly Unit[]>,
): Promise<RenderDiff> {
  await writeTree(base.dir, fleetFiles(baseClusters));
  await writeTree(head.dir, fleetFiles(headClusters));
  return diffRenders(await loadRenderedTree(base.dir), await loadRenderedTree(head.dir));
}

function withObjects(unit: Unit, objects: readonly KubeObject[]): Unit {
  return { ...unit, objects };
}

describe('diffRenders', () => {
  it('reports an unchanged render as unchanged', async () => {
    // GIVEN two identical renders of two clusters
    const diff = await diffOf({ dev: [web], prod: [web] }, { dev: [web], prod: [web] });

    // THEN nothing changed, and both clusters are still listed
    expect(isUnchanged(diff)).toBe(true);
    expect(diff.clusters.map((c) => [c.cluster, c.kustomizations.length])).toEqual([
      ['dev', 0],
      ['prod', 0],
    ]);
  });

  it('lists an added object under the Flux Kustomization that applies its folder', async () => {
    const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'team-a' } };
    const diff = await diffOf({ dev: [web] }, { dev: [withObjects(web, [...web.objects, sa])] });

    expect(diff.totals).toEqual({ added: 1, changed: 0, removed: 0, renamed: 0, moved: 0 });
    const [kustomization] = diff.clusters[0].kustomizations;
    expect(kustomization.kustomization).toBe('flux-system/web');
    expect(kustomization.path).toBe('clusters/dev/apps/web');
    expect(kustomization.changes).toMatchObject([
      {
        type: 'added',
        object: 'ServiceAccount team-a/web',
        key: '/ServiceAccount/team-a/web',
        file: 'clusters/dev/apps/web/ServiceAccount_team-a_web.yaml',
      },
    ]);
  });

  it('lists a removed object with its base file', async () => {
    const diff = await diffOf({ dev: [web] }, { dev: [withObjects(web, web.objects.slice(0, 2))] });

    expect(allChanges(diff)).toMatchObject([
      { type: 'removed', object: 'ConfigMap team-a/web-config', file: 'clusters/dev/apps/web/ConfigMap_team-a_web-config.yaml' },
    ]);
    expect(allChanges(diff)[0].base?.kind).toBe('ConfigMap');
    expect(allChanges(diff)[0].head).toBeUndefined();
  });

  it('lists changed fields with their paths and old and new values', async () => {
    const changed = withObjects(web, [
      web.objects[0],
      deployment('team-a', 'web', { replicas: 3, image: 'ghcr.io/acme/web:1.1.0' }),
      configMap('team-a', 'web-config', { LOG_LEVEL: 'debug', FEATURE_X: 'on' }),
    ]);
    const diff = await diffOf({ dev: [web] }, { dev: [changed] });

    const changes = allChanges(diff);
    expect(changes.map((c) => [c.type, c.object])).toEqual([
      ['changed', 'ConfigMap team-a/web-config'],
      ['changed', 'Deployment team-a/web'],
    ]);
    expect(changes[0].fields).toEqual([
      { path: 'data.LOG_LEVEL', type: 'changed', before: 'info', after: 'debug' },
      { path: 'data.FEATURE_X', type: 'added', after: 'on' },
    ]);
    expect(changes[1].fields).toEqual([
      { path: 'spec.replicas', type: 'changed', before: 2, after: 3 },
      {
        path: 'spec.template.spec.containers[0].image',
        type: 'changed',
        before: 'ghcr.io/acme/web:1.0.0',
        after: 'ghcr.io/acme/web:1.1.0',
      },
    ]);
  });

  it('reports long values as changed without printing them', async () => {
    const long = 'x'.repeat(80);
    const diff = await diffOf(
      { dev: [withObjects(web, [configMap('team-a', 'web-config', { blob: long, script: 'a\nb\nc' })])] },
      { dev: [withObjects(web, [configMap('team-a', 'web-config', { blob: `${long}y`, script: 'a\nB\nc\nd' })])] },
    );

    expect(allChanges(diff)[0].fields).toEqual([
      { path: 'data.blob', type: 'changed', long: true },
      { path: 'data.script', type: 'changed', long: true, lines: { added: 2, removed: 1 } },
    ]);
  });

  it('never prints Secret data', async () => {
    const secret = (value: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'team-a' },
      stringData: { password: value },
    });
    const diff = await diffOf(
      { dev: [withObjects(web, [secret('hunter2')])] },
      { dev: [withObjects(web, [secret('hunter3')])] },
    );

    expect(allChanges(diff)[0].fields).toEqual([{ path: 'stringData.password', type: 'changed', hidden: true }]);
  });

  it('matches list items by name, so inserting a container does not shift the others', async () => {
    const two = deployment('team-a', 'web');
    const spec = two.spec as { template: { spec: { containers: object[] } } };
    const withSidecar: KubeObject = {
      ...two,
      spec: {
        ...spec,
        template: { ...spec.template, spec: { containers: [{ name: 'proxy', image: 'envoy:1' }, ...spec.template.spec.containers] } },
      },
    };
    const diff = await diffOf({ dev: [withObjects(web, [two])] }, { dev: [withObjects(web, [withSidecar])] });

    expect(allChanges(diff)[0].fields).toEqual([
      { path: 'spec.template.spec.containers[0]', type: 'added', after: { name: 'proxy', image: 'envoy:1' } },
    ]);
  });

  it('detects a rename: same kind and content, new name', async () => {
    const renamed = withObjects(web, [web.objects[0], web.objects[1], configMap('team-a', 'web-settings', { LOG_LEVEL: 'info' })]);
    const diff = await diffOf({ dev: [web] }, { dev: [renamed] });

    expect(diff.totals).toEqual({ added: 0, changed: 0, removed: 0, renamed: 1, moved: 0 });
    expect(allChanges(diff)[0]).toMatchObject({
      type: 'renamed',
      object: 'ConfigMap team-a/web-settings',
      file: 'clusters/dev/apps/web/ConfigMap_team-a_web-settings.yaml',
      from: {
        object: 'ConfigMap team-a/web-config',
        file: 'clusters/dev/apps/web/ConfigMap_team-a_web-config.yaml',
        kustomization: 'flux-system/web',
      },
    });
  });

  it('detects a move between Flux Kustomizations by identity, not by file name', async () => {
    // GIVEN the ConfigMap moves from the web unit into a new shared-config unit
    const shared: Unit = { layer: 'infra-configs', name: 'shared-config', objects: [web.objects[2]] };
    const diff = await diffOf({ dev: [web] }, { dev: [withObjects(web, web.objects.slice(0, 2)), shared] });

    // THEN it is one move, listed under the new Kustomization, remembering the old one
    // (the new unit's own Flux Kustomization is the one added object, applied by flux-system)
    expect(diff.totals).toEqual({ added: 1, changed: 0, removed: 0, renamed: 0, moved: 1 });
    expect(diff.clusters[0].kustomizations.map((k) => [k.kustomization, k.changes.map((c) => `${c.type} ${c.object}`)])).toEqual([
      ['flux-system/flux-system', ['added Kustomization flux-system/shared-config']],
      ['flux-system/shared-config', ['moved ConfigMap team-a/web-config']],
    ]);
    expect(diff.clusters[0].kustomizations[1].changes[0]).toMatchObject({
      type: 'moved',
      object: 'ConfigMap team-a/web-config',
      kustomization: 'flux-system/shared-config',
      file: 'clusters/dev/infra-configs/shared-config/ConfigMap_team-a_web-config.yaml',
      from: { kustomization: 'flux-system/web', file: 'clusters/dev/apps/web/ConfigMap_team-a_web-config.yaml' },
      fields: [],
    });
  });

  it('keeps clusters apart: the same object changed in one cluster only', async () => {
    // GIVEN dev and prod render the same objects, and only prod scales up and gains an object
    const prod = withObjects(web, [
      web.objects[0],
      deployment('team-a', 'web', { replicas: 5 }),
      web.objects[2],
      configMap('team-a', 'extra', { a: 'b' }),
    ]);
    const diff = await diffOf({ dev: [web], prod: [web] }, { dev: [web], prod: [prod] });

    expect(diff.clusters.map((c) => [c.cluster, c.counts])).toEqual([
      ['dev', { added: 0, changed: 0, removed: 0, renamed: 0, moved: 0 }],
      ['prod', { added: 1, changed: 1, removed: 0, renamed: 0, moved: 0 }],
    ]);
    expect(allChanges(diff).map((c) => [c.cluster, c.type, c.object])).toEqual([
      ['prod', 'changed', 'Deployment team-a/web'],
      ['prod', 'added', 'ConfigMap team-a/extra'],
    ]);
  });

  it('treats a cluster that appears as all added and one that disappears as all removed', async () => {
    const diff = await diffOf({ old: [web] }, { fresh: [web] });

    const byCluster = Object.fromEntries(diff.clusters.map((c) => [c.cluster, c.counts]));
    // 3 objects of the unit + GitRepository, 2 Flux Kustomizations
    expect(byCluster.old).toMatchObject({ removed: 6, added: 0 });
    expect(byCluster.fresh).toMatchObject({ added: 6, removed: 0 });
  });
});
