import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findRepoRoot, type Finding, type KubeObject, type RenderedObject } from '@flotilla/model';
import { parseManifests } from '@flotilla/validate';
import { parse } from 'yaml';
import { checkCluster } from '../lib/fleet-checks';

export const repoRoot = findRepoRoot(__dirname);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : /\.ya?ml$/.test(entry.name) && !/^kustomization\.ya?ml$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

let cached: RenderedObject[] | undefined;

/** The committed render of the example fleet's dev cluster, as `flotilla validate clusters/dev` reads it. */
export function devCluster(): RenderedObject[] {
  cached ??= parseManifests(
    yamlFiles(join(repoRoot, 'clusters/dev')).map((file) => ({ file: relative(repoRoot, file), content: readFileSync(file, 'utf8') })),
  ).objects;
  return cached.map((entry) => ({ ...entry, object: structuredClone(entry.object) }));
}

/** Rendered objects edited freely by tests (any field, any depth). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test's edit reaches into arbitrary fields of rendered JSON
type Editable = KubeObject & Record<string, any>;

/** A copy of dev with `edit` applied to the object in the file ending with `fileSuffix`. */
export function editDev(fileSuffix: string, edit: (object: Editable) => void, extra: string[] = []): RenderedObject[] {
  const objects = devCluster();
  const target = objects.find((entry) => entry.file.endsWith(fileSuffix));
  if (!target) throw new Error(`no file ending with ${fileSuffix} in clusters/dev`);
  edit(target.object as Editable);
  return [...objects, ...extra.map((yaml, i) => ({ file: `clusters/dev/apps/extra/extra-${i}.yaml`, index: 0, object: parse(yaml) as KubeObject, cluster: 'dev' }))];
}

/** Every check synth and `flotilla validate` run, over the given cluster objects; errors only. */
export function errorsOf(objects: readonly RenderedObject[]): Finding[] {
  return checkCluster(join(repoRoot, 'policies'), { rendered: objects, all: () => objects, kubernetesVersion: '1.35' }).findings.filter((finding) => finding.severity === 'error');
}
