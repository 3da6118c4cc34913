import { posix } from 'node:path';
import { generatedResources } from './build-path';
import { kustomizationFileIn, type RepoFile } from './repo-files';

/**
 * The repository files a folder's build would read, found without kustomize: the resources and
 * components its kustomization names (folders followed), or what the controller would generate.
 * Used when the build fails or cannot run, so those files are neither judged twice nor forgotten.
 */
export function kustomizeTreeFiles(files: ReadonlyMap<string, RepoFile>, dir: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(dir)) return out;
  seen.add(dir);
  const kustomization = kustomizationFileIn(files, dir);
  if (!kustomization) {
    const listed = generatedResources(files, dir);
    if ('error' in listed) return out;
    for (const resource of listed.resources) {
      if (files.has(resource)) out.add(resource);
      else for (const file of kustomizeTreeFiles(files, resource, seen)) out.add(file);
    }
    return out;
  }
  out.add(kustomization.path);
  for (const { value } of kustomization.docs) {
    const k = (value ?? {}) as { resources?: unknown; components?: unknown; bases?: unknown };
    for (const list of [k.resources, k.components, k.bases]) {
      for (const entry of Array.isArray(list) ? list : []) {
        if (typeof entry !== 'string' || /^[a-z]+:\/\/|^git@|^github\.com\//.test(entry)) continue;
        const target = posix.normalize(posix.join(dir || '.', entry)).replace(/^\.\/?/, '').replace(/\/$/, '');
        if (files.has(target)) out.add(target);
        else for (const file of kustomizeTreeFiles(files, target, seen)) out.add(file);
      }
    }
  }
  return out;
}
