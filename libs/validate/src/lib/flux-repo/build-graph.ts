import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { describeObject, type KubeObject } from '@flotilla/model';
import { clusterOfFile } from '@flotilla/config';
import { buildPath, type BuiltObject, type FluxBuildSpec } from './build-path';
import { isFluxKustomization, resolveKustomizationPath } from './flux-sources';
import type { KustomizeCommand } from './kustomize-runner';
import { findDocument, type SourceLocation } from './source-map';
import type { RepoFile } from './repo-files';

/** A Flux Kustomization and where it is written (file and line of its document). */
export interface KustomizationSite {
  readonly object: KubeObject;
  /** For the implied bootstrap root: its gotk-sync.yaml (where `flux bootstrap` writes it); undefined when unknown. */
  readonly at?: SourceLocation;
  readonly cluster: string;
}

/** The outcome of one Flux Kustomization's `spec.path`. */
export interface PathBuild {
  readonly site: KustomizationSite;
  /** Repository folder built; undefined when the path is elsewhere or invalid. */
  readonly dir?: string;
  readonly objects: readonly BuiltObject[];
  readonly generated?: boolean;
  /** Why nothing was built: an error (the cluster would fail too) or a note (not in this checkout, no kustomize). */
  readonly problem?: { severity: 'error' | 'info'; code: string; message: string; fix?: string };
}

export interface DeclaredObject {
  readonly object: KubeObject;
  readonly at: SourceLocation;
}

/**
 * Folders `flux bootstrap` made (a `flux-system/` with gotk-sync.yaml or gotk-components.yaml) whose
 * root Kustomization is not in the repository; each is built as that Kustomization would build it.
 */
export function bootstrapRoots(files: ReadonlyMap<string, RepoFile>, declared: readonly DeclaredObject[]): string[] {
  const dirs = new Set<string>();
  for (const path of files.keys()) {
    if (/(^|\/)flux-system\/gotk-(sync|components)\.ya?ml$/.test(path)) dirs.add(dirname(dirname(path)) === '.' ? '' : dirname(dirname(path)));
  }
  const declaredRoots = declared.filter((d) => isFluxKustomization(d.object) && d.object.metadata.name === 'flux-system');
  return [...dirs].filter((dir) => !declaredRoots.some((d) => (d.object.spec as { path?: string } | undefined)?.path?.replace(/^\.\//, '').replace(/\/$/, '') === dir)).sort();
}

function fluxSpec(object: KubeObject): FluxBuildSpec {
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  return {
    targetNamespace: typeof spec.targetNamespace === 'string' ? spec.targetNamespace : undefined,
    namePrefix: typeof spec.namePrefix === 'string' ? spec.namePrefix : undefined,
    nameSuffix: typeof spec.nameSuffix === 'string' ? spec.nameSuffix : undefined,
    patches: Array.isArray(spec.patches) ? (spec.patches as FluxBuildSpec['patches']) : undefined,
    images: Array.isArray(spec.images) ? (spec.images as FluxBuildSpec['images']) : undefined,
    components: Array.isArray(spec.components) ? (spec.components as string[]) : undefined,
    commonMetadata: typeof spec.commonMetadata === 'object' && spec.commonMetadata ? (spec.commonMetadata as FluxBuildSpec['commonMetadata']) : undefined,
  };
}

/** Repository folders, for suggesting a path that exists. */
function closestDir(root: string, dir: string): string | undefined {
  let parent = dir;
  while (parent && !existsSync(join(root, parent))) parent = posix.dirname(parent) === '.' ? '' : posix.dirname(parent);
  return parent || undefined;
}

/**
 * Builds every Flux Kustomization reachable in the repository, in order: bootstrap roots first,
 * then the Kustomizations their builds contain (which belong to the same cluster), then the
 * declared Kustomizations no build contains (each its own cluster, named after its folder).
 */
export function buildAll(
  root: string,
  files: ReadonlyMap<string, RepoFile>,
  declared: readonly DeclaredObject[],
  kustomize: KustomizeCommand | undefined,
): PathBuild[] {
  const builds: PathBuild[] = [];
  const done = new Set<string>();
  const queue: KustomizationSite[] = bootstrapRoots(files, declared).map((dir) => ({
    object: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: { path: `./${dir}`, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    },
    cluster: basename(dir) || 'root',
    // Where `flux bootstrap` writes this Kustomization; findings about it point there.
    at: { file: [...files.keys()].find((path) => path.startsWith(`${dir ? `${dir}/` : ''}flux-system/gotk-sync.`)) ?? `${dir ? `${dir}/` : ''}flux-system`, line: 1 },
  }));
  const claimed = new Set<string>();
  const run = (site: KustomizationSite) => {
    const key = `${site.cluster}|${describeObject(site.object)}`;
    if (done.has(key)) return;
    done.add(key);
    // The cluster's own built objects first: both clusters may declare an ArtifactGenerator of the same name.
    const near = (d: DeclaredObject) => (site.at && dirname(d.at.file) === dirname(site.at.file) ? 0 : clusterOfFile(d.at.file) === site.cluster ? 1 : 2);
    const context = [
      ...builds.filter((b) => b.site.cluster === site.cluster).flatMap((b) => b.objects.map((o) => o.object)),
      ...[...declared].sort((a, b) => near(a) - near(b)).map((d) => d.object),
    ];
    const resolution = resolveKustomizationPath(site.object, context);
    if (resolution.kind === 'invalid') {
      builds.push({ site, objects: [], problem: { severity: 'error', code: 'flux/invalid-path', message: resolution.reason, fix: 'make spec.path relative to the source root, e.g. ./apps/production' } });
      return;
    }
    if (resolution.kind === 'missing') {
      builds.push({ site, objects: [], problem: { severity: 'error', code: 'flux/path-not-found', message: resolution.reason, fix: resolution.fix } });
      return;
    }
    if (resolution.kind === 'external') {
      builds.push({ site, objects: [], problem: { severity: 'info', code: 'flux/external-source', message: `spec.path not built: ${resolution.reason}` } });
      return;
    }
    const dir = resolution.dir;
    const absolute = join(root, dir);
    if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
      const near = closestDir(root, dir);
      builds.push({
        site,
        dir,
        objects: [],
        problem: {
          severity: 'error',
          code: 'flux/path-not-found',
          message: `spec.path ${String((site.object.spec as { path?: string }).path)} is ${dir ? `folder ${dir}` : 'the root'}${resolution.via ? ` (through ${resolution.via})` : ''}, which does not exist in this repository; kustomize-controller fails with "kustomization path not found"`,
          fix: near ? `point spec.path at an existing folder (${near} exists)` : 'point spec.path at an existing folder of the repository',
        },
      });
      return;
    }
    if (!kustomize) {
      builds.push({
        site,
        dir,
        objects: [],
        problem: {
          severity: 'info',
          code: 'flux/not-built',
          message: `${dir || '.'} could not be built: kustomize is not available (no kustomize or kubectl), so its files are validated one by one (patches and substitutions not applied)`,
          fix: 'install kubectl (it has kustomize built in) or kustomize, or set FLOTILLA_KUSTOMIZE',
        },
      });
      return;
    }
    const result = buildPath(kustomize, root, files, dir, fluxSpec(site.object));
    if ('error' in result) {
      builds.push({ site, dir, objects: [], problem: { severity: 'error', code: 'flux/build-failed', message: `kustomize build of ${dir || '.'} fails: ${result.error}`, fix: 'fix the kustomization so that `kubectl kustomize` builds the folder' } });
      return;
    }
    builds.push({ site, dir, objects: result.objects, generated: result.generated });
    for (const built of result.objects) {
      if (!isFluxKustomization(built.object)) continue;
      const file = built.origin ? files.get(built.origin) : undefined;
      const doc = file ? findDocument(file, built.object) : undefined;
      if (file && doc) claimed.add(`${file.path}:${doc.line}`);
      queue.push({ object: built.object, at: file && doc ? { file: file.path, line: doc.line } : undefined, cluster: site.cluster });
    }
  };
  while (queue.length > 0) run(queue.shift()!);
  for (const d of declared) {
    if (!isFluxKustomization(d.object) || claimed.has(`${d.at.file}:${d.at.line}`)) continue;
    queue.push({ object: d.object, at: d.at, cluster: clusterOfFile(d.at.file) ?? (dirname(d.at.file) === '.' ? 'root' : dirname(d.at.file)) });
    while (queue.length > 0) run(queue.shift()!);
  }
  return builds;
}
