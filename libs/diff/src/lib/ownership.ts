import * as path from 'node:path';
import { apiGroupOf, type KubeObject, type RenderedObject } from '@flotilla/model';

/** Cluster name used for objects outside `clusters/<cluster>/`. */
export const NO_CLUSTER = '(no cluster)';

/** Label used for files no Flux Kustomization applies. */
export const NO_KUSTOMIZATION = '(none)';

/** A Flux Kustomization found in a render, and the folder it applies. */
export interface FluxKustomization {
  /** `namespace/name`, e.g. `flux-system/apps-web`. */
  readonly id: string;
  /** Folder relative to the repository root, without `./` or a trailing slash (`` for the root). */
  readonly path: string;
  /** `spec.prune`: whether Flux deletes objects that disappear from its folder. */
  readonly prune: boolean;
  /** `spec.force`: whether Flux re-creates objects whose in-place update is rejected. */
  readonly force: boolean;
  /** The cluster folder the Kustomization object was found in. */
  readonly cluster: string;
}

export function isFluxKustomization(object: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  return object.kind === 'Kustomization' && apiGroupOf(object.apiVersion) === 'kustomize.toolkit.fluxcd.io';
}

/**
 * Answers "which Flux Kustomization applies this file": the one whose `spec.path` is the deepest
 * folder containing the file, looked up among the Kustomizations of the same render.
 */
export class KustomizationIndex {
  private readonly byPath = new Map<string, FluxKustomization>();

  constructor(objects: readonly RenderedObject[]) {
    for (const { object, cluster } of objects) {
      if (!isFluxKustomization(object)) continue;
      const spec = (object.spec ?? {}) as { path?: unknown; prune?: unknown; force?: unknown };
      const folder = normalizeFolder(typeof spec.path === 'string' ? spec.path : '');
      const id = `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
      // Two Kustomizations on one folder is a render bug; the first (in file order) wins, deterministically.
      if (!this.byPath.has(folder)) this.byPath.set(folder, { id, path: folder, prune: spec.prune === true, force: spec.force === true, cluster: cluster ?? NO_CLUSTER });
    }
  }

  /** All Kustomizations, by id. */
  all(): FluxKustomization[] {
    return [...this.byPath.values()];
  }

  ownerOf(file: string): FluxKustomization | undefined {
    let folder = path.posix.dirname(file);
    for (;;) {
      const owner = this.byPath.get(folder === '.' ? '' : folder);
      if (owner) return owner;
      if (folder === '.' || folder === '' || folder === '/') return undefined;
      folder = path.posix.dirname(folder);
    }
  }
}

function normalizeFolder(folder: string): string {
  const normalized = path.posix.normalize(folder.replace(/\\/g, '/'));
  return normalized === '.' || normalized === './' ? '' : normalized.replace(/^\.\//, '').replace(/\/+$/, '');
}
