import { apiGroupOf, type KubeObject } from '@flotilla/model';
import { CLUSTERS_DIR } from '@flotilla/config';
import type { RepoFile } from './repo-files';

/** Controllers a default `flux bootstrap` installs, each with its ServiceAccount in flux-system. */
const BOOTSTRAP_CONTROLLERS = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'];

/**
 * Objects a cluster has that a hand-written repository refers to without declaring them: the
 * ExternalArtifacts its ArtifactGenerators produce, and, when gotk-components.yaml is still the
 * placeholder `flux bootstrap` replaces, the flux-system Namespace and controller ServiceAccounts.
 * They are context for the reference checks only, never validated.
 */
export function bootstrapContext(files: ReadonlyMap<string, RepoFile>, objects: readonly KubeObject[], cluster: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const generator of objects) {
    if (generator.kind !== 'ArtifactGenerator' || apiGroupOf(generator.apiVersion) !== 'source.extensions.fluxcd.io') continue;
    const artifacts = (generator.spec as { artifacts?: { name?: unknown }[] } | undefined)?.artifacts;
    for (const artifact of Array.isArray(artifacts) ? artifacts : []) {
      if (typeof artifact?.name !== 'string') continue;
      out.push({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'ExternalArtifact', metadata: { name: artifact.name, namespace: generator.metadata.namespace ?? 'default' } });
    }
  }
  const placeholder = [...files.values()].some(
    (file) => /(^|\/)flux-system\/gotk-components\.ya?ml$/.test(file.path) && (file.path.split('/').includes(cluster) || !file.path.startsWith(`${CLUSTERS_DIR}/`)) && file.docs.every((doc) => doc.value === null || doc.value === undefined),
  );
  if (placeholder) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' } });
    for (const name of BOOTSTRAP_CONTROLLERS) out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'flux-system' } });
  }
  return out;
}
