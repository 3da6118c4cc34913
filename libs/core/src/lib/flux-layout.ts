import { FLUX_CONTROLLERS_WITH_REFS, LAYERS, clusterPath, resolveFluxLockdown, resolveFluxSettings, type ClusterConfig, type Layer, type Unit, goDuration } from '@flotilla/config';
import { ociSyncObjects } from './oci-sync';
import type { KubeObject } from '@flotilla/model';

/** Namespace and name `flux bootstrap` gives its GitRepository and root Kustomization. */
export const FLUX_NAMESPACE = 'flux-system';
export const ROOT_SOURCE = 'flux-system';

/** Folder of a unit inside the cluster folder: `<layer>/<unit>`. */
export function unitFolder(unit: Pick<Unit, 'layer' | 'name'>): string {
  return `${unit.layer}/${unit.name}`;
}

/**
 * The cluster's source and root Kustomization (`flux-system/gotk-sync.yaml`): for Git delivery the
 * GitRepository and Kustomization exactly as `flux bootstrap` writes them, for OCI delivery the
 * verified OCIRepository (see oci-sync.ts).
 */
export function bootstrapSyncObjects(cluster: ClusterConfig): KubeObject[] {
  if (cluster.delivery?.type === 'oci') return ociSyncObjects(cluster, cluster.delivery).sync;
  return [
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: ROOT_SOURCE, namespace: FLUX_NAMESPACE },
      spec: {
        interval: '1m0s',
        ref: { branch: cluster.git.branch ?? 'main' },
        secretRef: { name: cluster.git.secretName ?? 'flux-system' },
        url: cluster.git.url,
      },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: ROOT_SOURCE, namespace: FLUX_NAMESPACE },
      spec: {
        interval: '10m0s',
        path: `./${clusterPath(cluster)}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: ROOT_SOURCE },
      },
    },
  ];
}

/** Objects of the `flux-verify/` folder the source needs (OCI: the ExternalSecret of the cosign public key); none for Git. */
export function bootstrapSupportObjects(cluster: ClusterConfig): KubeObject[] {
  return cluster.delivery?.type === 'oci' ? ociSyncObjects(cluster, cluster.delivery).support : [];
}

/** The source kind unit Kustomizations name; the OCI artifact keeps repository-relative paths, so paths do not change. */
function sourceKind(cluster: ClusterConfig): string {
  return cluster.delivery?.type === 'oci' ? 'OCIRepository' : 'GitRepository';
}

/**
 * One Flux Kustomization per unit.
 *
 * A unit depends on every unit of the nearest earlier layer that has units (controllers before
 * their configs, configs before policies, policies before apps) plus its own `dependsOn`.
 */
export function unitKustomizations(cluster: ClusterConfig): KubeObject[] {
  const byLayer = new Map<Layer, Unit[]>(LAYERS.map((layer) => [layer, []]));
  for (const unit of cluster.units) byLayer.get(unit.layer)!.push(unit);
  const objects: KubeObject[] = [];
  let previous: Unit[] = [];
  for (const layer of LAYERS) {
    const units = [...byLayer.get(layer)!].sort((a, b) => a.name.localeCompare(b.name));
    for (const unit of units) objects.push(unitKustomization(cluster, unit, previous));
    if (units.length > 0) previous = units;
  }
  if (cluster.delivery?.type === 'oci') objects.push(ociSyncObjects(cluster, cluster.delivery).supportKustomization);
  return objects;
}

function unitKustomization(cluster: ClusterConfig, unit: Unit, previousLayer: readonly Unit[]): KubeObject {
  const settings = resolveFluxSettings(cluster.flux, unit.flux);
  const serviceAccountName = unit.flux?.serviceAccountName ?? platformServiceAccount(cluster, unit);
  const dependsOn = [...new Set([...previousLayer.map((dep) => dep.name), ...(unit.dependsOn ?? [])])].sort();
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: unit.name, namespace: FLUX_NAMESPACE },
    spec: {
      ...(dependsOn.length > 0 ? { dependsOn: dependsOn.map((name) => ({ name })) } : {}),
      ...(unit.flux?.healthCheckExprs?.length ? { healthCheckExprs: unit.flux.healthCheckExprs.map((check) => ({ ...check })) } : {}),
      interval: goDuration(settings.interval),
      path: `./${clusterPath(cluster)}/${unitFolder(unit)}`,
      prune: settings.prune,
      retryInterval: goDuration(settings.retryInterval),
      ...(serviceAccountName ? { serviceAccountName } : {}),
      sourceRef: { kind: sourceKind(cluster), name: ROOT_SOURCE },
      ...(unit.flux?.targetNamespace ? { targetNamespace: unit.flux.targetNamespace } : {}),
      timeout: goDuration(settings.timeout),
      wait: settings.wait,
    },
  };
}

/** The Flux controller's own account: with a default service account set, a platform unit must name it or it applies as `default`. */
const KUSTOMIZE_CONTROLLER_SA = 'kustomize-controller';

function platformServiceAccount(cluster: ClusterConfig, unit: Unit): string | undefined {
  if (unit.layer === 'apps') return undefined;
  const lockdown = resolveFluxLockdown(cluster.fluxLockdown);
  return lockdown.defaultServiceAccount?.controllers.includes(KUSTOMIZE_CONTROLLER_SA) ? KUSTOMIZE_CONTROLLER_SA : undefined;
}

/**
 * `flux-system/kustomization.yaml`: the bootstrap files plus the lockdown patches, in the form of
 * fluxcd/flux2-multi-tenancy `clusters/production/flux-system/kustomization.yaml`.
 */
export function fluxSystemKustomization(cluster: ClusterConfig): Record<string, unknown> {
  const lockdown = resolveFluxLockdown(cluster.fluxLockdown);
  const addArg = (value: string, name: string) => ({
    patch: `- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: ${value}\n`,
    target: { kind: 'Deployment', name },
  });
  const patches: Record<string, unknown>[] = [];
  if (lockdown.noCrossNamespaceRefs) patches.push(addArg('--no-cross-namespace-refs=true', FLUX_CONTROLLERS_WITH_REFS));
  if (lockdown.noRemoteBases) patches.push(addArg('--no-remote-bases=true', 'kustomize-controller'));
  const sa = lockdown.defaultServiceAccount;
  if (sa && sa.controllers.length > 0) {
    const controllers = [...sa.controllers].sort();
    patches.push(addArg(`--default-service-account=${sa.name}`, controllers.length === 1 ? controllers[0] : `(${controllers.join('|')})`));
    if (controllers.includes(KUSTOMIZE_CONTROLLER_SA)) {
      // The root Kustomization from `flux bootstrap` names no account; without this it would apply as the default one.
      patches.push({
        patch: `- op: add\n  path: /spec/serviceAccountName\n  value: ${KUSTOMIZE_CONTROLLER_SA}\n`,
        target: { kind: 'Kustomization', name: ROOT_SOURCE },
      });
    }
  }
  return { ...kustomizationFile(['gotk-components.yaml', 'gotk-sync.yaml']), ...(patches.length > 0 ? { patches } : {}) };
}

/** A kustomize `kustomization.yaml` listing resources in a stable order. */
export function kustomizationFile(resources: readonly string[]): Record<string, unknown> {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...resources].sort(),
  };
}
