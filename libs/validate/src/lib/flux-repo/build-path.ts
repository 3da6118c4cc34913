import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative, resolve, sep } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '@flotilla/model';
import { runKustomize, type KustomizeCommand } from './kustomize-runner';
import { isKustomizationFileName, kustomizationFileIn, type RepoFile } from './repo-files';

const ORIGIN = 'config.kubernetes.io/origin';
const TRANSFORMATIONS = 'alpha.config.kubernetes.io/transformations';
/** Stands for the Flux Kustomization's own spec (patches, images…) in `patchedIn`. */
export const FLUX_SPEC = '<flux-kustomization-spec>';

/** The fields of a Flux Kustomization's spec that change the build (kustomize-controller adds them to the kustomization). */
export interface FluxBuildSpec {
  readonly targetNamespace?: string;
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  readonly patches?: readonly { patch?: string; target?: Record<string, unknown> }[];
  readonly images?: readonly Record<string, unknown>[];
  readonly components?: readonly string[];
  readonly commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface BuiltObject {
  readonly object: KubeObject;
  /** The repository file the object comes from (kustomize's origin annotation). */
  readonly origin?: string;
  /** The kustomization file whose generator made it (configMapGenerator…). */
  readonly generatedBy?: string;
  /** Kustomization files whose patches were applied to it; {@link FLUX_SPEC} for the Flux spec's patches. */
  readonly patchedIn: readonly string[];
}

export type BuildResult = { readonly objects: BuiltObject[]; readonly generated: boolean } | { readonly error: string; readonly file?: string };

const toPosix = (path: string) => path.split(sep).join('/');

/**
 * The kustomization kustomize-controller generates for a folder without one: every YAML file of
 * Kubernetes objects in it and its subfolders, and subfolders that have a kustomization as a whole.
 */
export function generatedResources(files: ReadonlyMap<string, RepoFile>, dir: string): { resources: string[] } | { error: string; file: string } {
  const prefix = dir ? `${dir}/` : '';
  const resources: string[] = [];
  const kustomized = new Set<string>();
  for (const path of [...files.keys()].sort()) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length).split('/');
    // A subfolder with its own kustomization is one resource; nothing below it is listed.
    let owner: string | undefined;
    for (let depth = 1; depth < rest.length; depth++) {
      const sub = prefix + rest.slice(0, depth).join('/');
      if (kustomizationFileIn(files, sub)) {
        owner = sub;
        break;
      }
    }
    if (owner) {
      if (!kustomized.has(owner)) resources.push(owner);
      kustomized.add(owner);
      continue;
    }
    if (isKustomizationFileName(rest.at(-1)!)) continue;
    const file = files.get(path)!;
    if (file.role === 'not-kubernetes' || file.role === 'values' || file.role === 'kustomize-config') {
      return { error: `failed to decode Kubernetes YAML from ${path}: it is not a Kubernetes object (no apiVersion and kind)`, file: path };
    }
    resources.push(path);
  }
  return { resources };
}

/**
 * Builds one folder of the repository with the real kustomize, as kustomize-controller does: its
 * kustomization (or a generated one), plus the Flux Kustomization's targetNamespace, name prefix and
 * suffix, patches, images, components and common metadata. The build runs in a temporary folder that
 * refers to the repository, so nothing is written into it; kustomize's origin annotations tell each
 * object's source file and are removed afterwards.
 */
export function buildPath(kustomize: KustomizeCommand, repoRoot: string, files: ReadonlyMap<string, RepoFile>, dir: string, flux: FluxBuildSpec = {}): BuildResult {
  const work = mkdtempSync(join(tmpdir(), 'flotilla-kustomize-'));
  try {
    const fromWork = (repoPath: string) => toPosix(relative(work, resolve(repoRoot, repoPath))) || '.';
    let resources: string[];
    let generated = false;
    if (kustomizationFileIn(files, dir)) resources = [dir];
    else {
      const listed = generatedResources(files, dir);
      if ('error' in listed) return listed;
      resources = listed.resources;
      generated = true;
    }
    const kustomization: Record<string, unknown> = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: resources.map(fromWork),
      buildMetadata: ['originAnnotations', 'transformerAnnotations'],
    };
    if (flux.targetNamespace) kustomization.namespace = flux.targetNamespace;
    if (flux.namePrefix) kustomization.namePrefix = flux.namePrefix;
    if (flux.nameSuffix) kustomization.nameSuffix = flux.nameSuffix;
    if (flux.patches?.length) kustomization.patches = flux.patches;
    if (flux.images?.length) kustomization.images = flux.images;
    if (flux.components?.length) kustomization.components = flux.components.map((component) => fromWork(posix.join(dir, component)));
    if (flux.commonMetadata?.labels) kustomization.labels = [{ pairs: flux.commonMetadata.labels, includeSelectors: false }];
    if (flux.commonMetadata?.annotations) kustomization.commonAnnotations = flux.commonMetadata.annotations;
    writeFileSync(join(work, 'kustomization.yaml'), stringify(kustomization));
    const result = runKustomize(kustomize, work);
    const toRepo = (workPath: string) => toPosix(relative(repoRoot, resolve(work, workPath)));
    if ('error' in result) {
      // Paths in kustomize's message are relative to the temporary folder; show them from the repository.
      const repoRelative = toPosix(relative(work, repoRoot));
      const message = result.error.split(`${repoRoot}/`).join('').split(work).join('<build>').split(`${repoRelative}/`).join('');
      return { error: message };
    }
    const objects: BuiltObject[] = [];
    for (const doc of parseAllDocuments(result.output)) {
      const object = doc.toJS() as KubeObject | null;
      if (!object || typeof object !== 'object') continue;
      const annotations = { ...(object.metadata?.annotations ?? {}) };
      const origin = annotations[ORIGIN] ? (parse(annotations[ORIGIN]) as { path?: string; configuredIn?: string } | null) : null;
      const transformations = annotations[TRANSFORMATIONS] ? (parse(annotations[TRANSFORMATIONS]) as { configuredIn?: string; configuredBy?: { kind?: string } }[] | null) : null;
      delete annotations[ORIGIN];
      delete annotations[TRANSFORMATIONS];
      const metadata: Record<string, unknown> = { ...object.metadata };
      if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
      else delete metadata.annotations;
      const patchedIn = (transformations ?? [])
        .filter((t) => t.configuredBy?.kind === 'PatchTransformer' && t.configuredIn)
        .map((t) => (resolve(work, t.configuredIn!) === join(work, 'kustomization.yaml') ? FLUX_SPEC : toRepo(t.configuredIn!)));
      objects.push({
        object: { ...object, metadata } as KubeObject,
        origin: origin?.path ? toRepo(origin.path) : undefined,
        generatedBy: origin?.configuredIn && resolve(work, origin.configuredIn) !== join(work, 'kustomization.yaml') ? toRepo(origin.configuredIn) : undefined,
        patchedIn: [...new Set(patchedIn)],
      });
    }
    return { objects, generated };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
