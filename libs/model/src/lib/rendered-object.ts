import type { KubeObject } from './kube-object';

/**
 * An object together with where it lives (or will live) on disk.
 *
 * `file` is relative to the workspace root (e.g. `clusters/dev/apps/web/Deployment_team-a_web.yaml`);
 * `index` is the position of the document inside a multi-document file (0 for single documents).
 */
export interface RenderedObject {
  readonly file: string;
  readonly index: number;
  readonly object: KubeObject;
  /** The cluster this object belongs to, when known (taken from `clusters/<cluster>/…`). */
  readonly cluster?: string;
}
