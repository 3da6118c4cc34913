import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterFiles, deployment, namespace, tempDir, writeTree } from '../testing';
import { clusterOfFile } from '@flotilla/config';
import { loadRenderedTree, parseRenderedFile } from './rendered-tree';

let root: { dir: string; remove(): Promise<void> };
beforeEach(async () => {
  root = await tempDir('flotilla-tree-');
});
afterEach(() => root.remove());

describe('loadRenderedTree', () => {
  it('reads every object with its file (relative to the root), cluster and document index', async () => {
    await writeTree(root.dir, clusterFiles('dev', [{ layer: 'apps', name: 'web', objects: [namespace('team-a'), deployment('team-a', 'web')] }]));

    const objects = await loadRenderedTree(root.dir);

    // kustomize.config.k8s.io build files are skipped; gotk-sync.yaml holds two documents
    expect(objects.map((o) => [o.file, o.index, o.object.kind, o.cluster])).toEqual([
      ['clusters/dev/apps/web/Deployment_team-a_web.yaml', 0, 'Deployment', 'dev'],
      ['clusters/dev/apps/web/Namespace_team-a.yaml', 0, 'Namespace', 'dev'],
      ['clusters/dev/flux-system/gotk-sync.yaml', 0, 'GitRepository', 'dev'],
      ['clusters/dev/flux-system/gotk-sync.yaml', 1, 'Kustomization', 'dev'],
      ['clusters/dev/sync/Kustomization_flux-system_web.yaml', 0, 'Kustomization', 'dev'],
    ]);
  });

  it('accepts the clusters/ folder itself as the root', async () => {
    await writeTree(root.dir, clusterFiles('dev', []));

    const objects = await loadRenderedTree(path.join(root.dir, 'clusters'));

    expect(objects[0].file).toBe('clusters/dev/flux-system/gotk-sync.yaml');
  });

  it('fails if there is no rendered tree', async () => {
    await expect(loadRenderedTree(path.join(root.dir, 'nowhere'))).rejects.toThrow(
      /no rendered tree at .*nowhere: expected a clusters\/ folder \(run `flotilla synth` first\)/,
    );
  });

  it('fails if a file is not valid YAML, naming the file', async () => {
    await mkdir(path.join(root.dir, 'clusters/dev'), { recursive: true });
    await writeFile(path.join(root.dir, 'clusters/dev/broken.yaml'), 'kind: [unclosed\n');

    await expect(loadRenderedTree(root.dir)).rejects.toThrow(/^clusters\/dev\/broken\.yaml: document 0 is not valid YAML/);
  });
});

describe('parseRenderedFile', () => {
  it('skips empty documents and keeps the index of the others (a header comment belongs to the first document)', () => {
    const text = '# header\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';

    expect(parseRenderedFile('clusters/dev/x.yaml', text).map((o) => [o.index, o.object.metadata.name])).toEqual([
      [0, 'a'],
      [2, 'b'],
    ]);
  });

  it('fails if a document has no metadata.name', () => {
    expect(() => parseRenderedFile('clusters/dev/x.yaml', 'apiVersion: v1\nkind: ConfigMap\n')).toThrow(
      'clusters/dev/x.yaml: document 0 is not a Kubernetes object: it needs apiVersion, kind and metadata.name',
    );
  });
});

describe('clusterOfFile', () => {
  it('takes the folder under clusters/', () => {
    expect(clusterOfFile('clusters/prod/apps/web/x.yaml')).toBe('prod');
    expect(clusterOfFile('clusters/x.yaml')).toBeUndefined();
    expect(clusterOfFile('charts/x.yaml')).toBeUndefined();
  });
});
