import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '@flotilla/model';

/** Every document synth wrote under clusters/, as plain objects: the input of the floor and the throughput figures. */
export interface Fixture {
  readonly clusters: { name: string; kubernetesVersion: string }[];
  readonly objects: { file: string; index: number; cluster: string; object: KubeObject }[];
}

/** Reads every YAML document under `<root>/clusters` (files in sorted order). */
export function readFixture(root: string, kubernetesVersion: string): Fixture {
  const objects: Fixture['objects'] = [];
  const clusters = readdirSync(join(root, 'clusters')).sort();
  for (const cluster of clusters) {
    for (const path of yamlFiles(join(root, 'clusters', cluster))) {
      const file = relative(root, path);
      parseAllDocuments(readFileSync(path, 'utf8')).forEach((doc, index) => {
        const object = doc.toJS() as KubeObject | null;
        if (object) objects.push({ file, index, cluster, object });
      });
    }
  }
  return { clusters: clusters.map((name) => ({ name, kubernetesVersion })), objects };
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(path));
    else if (entry.name.endsWith('.yaml')) out.push(path);
  }
  return out;
}

/** Objects per Flux path: every folder with a kustomization.yaml, counting what kustomize would build. */
export function kustomizeSizes(root: string): { path: string; objects: number }[] {
  const out: { path: string; objects: number }[] = [];
  const count = (dir: string): number => {
    const kustomization = parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0]?.toJS() as { resources?: string[] } | null;
    let total = 0;
    for (const resource of kustomization?.resources ?? []) {
      const path = join(dir, resource);
      if (!resource.endsWith('.yaml')) total += count(path);
      else {
        try {
          total += parseAllDocuments(readFileSync(path, 'utf8')).filter((doc) => doc.contents !== null).length;
        } catch {
          // A resource synth does not write (gotk-components.yaml from flux bootstrap) counts as empty.
        }
      }
    }
    return total;
  };
  const visit = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((entry) => entry.name === 'kustomization.yaml')) out.push({ path: relative(root, dir), objects: count(dir) });
    for (const entry of entries) if (entry.isDirectory()) visit(join(dir, entry.name));
  };
  visit(join(root, 'clusters'));
  return out.sort((a, b) => b.objects - a.objects || (a.path < b.path ? -1 : 1));
}
