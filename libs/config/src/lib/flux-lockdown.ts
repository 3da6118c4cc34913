/**
 * The multi-tenancy lockdown of fluxcd/flux2-multi-tenancy, rendered as kustomize patches on the
 * Flux controllers in `clusters/<cluster>/flux-system/kustomization.yaml`.
 *
 * @see https://fluxcd.io/flux/installation/configuration/multi-tenancy/
 */
export interface FluxLockdown {
  /** `--no-cross-namespace-refs=true` on every Flux controller: a tenant cannot use another namespace's sources. @default true */
  readonly noCrossNamespaceRefs?: boolean;
  /** `--no-remote-bases=true` on kustomize-controller: only Git-pinned sources are built. @default true */
  readonly noRemoteBases?: boolean;
  /**
   * `--default-service-account=<name>` on these controllers, so an object without `serviceAccountName`
   * applies as that (unprivileged) account instead of the controller. Platform Kustomizations then
   * name `kustomize-controller` explicitly. helm-controller is opt-in: platform HelmReleases live in
   * their own namespaces, where no privileged account exists to name yet.
   *
   * @default { name: 'default', controllers: ['kustomize-controller'] }
   */
  readonly defaultServiceAccount?: { readonly name: string; readonly controllers: readonly ('kustomize-controller' | 'helm-controller')[] } | false;
}

/** Resolved lockdown: `false` when the cluster turns it off. */
export interface ResolvedFluxLockdown {
  readonly noCrossNamespaceRefs: boolean;
  readonly noRemoteBases: boolean;
  readonly defaultServiceAccount: { readonly name: string; readonly controllers: readonly string[] } | undefined;
}

export const FLUX_CONTROLLERS_WITH_REFS =
  '(kustomize-controller|helm-controller|notification-controller|image-reflector-controller|image-automation-controller)';

export function resolveFluxLockdown(lockdown: FluxLockdown | false | undefined): ResolvedFluxLockdown {
  if (lockdown === false) return { noCrossNamespaceRefs: false, noRemoteBases: false, defaultServiceAccount: undefined };
  const sa = lockdown?.defaultServiceAccount;
  return {
    noCrossNamespaceRefs: lockdown?.noCrossNamespaceRefs ?? true,
    noRemoteBases: lockdown?.noRemoteBases ?? true,
    defaultServiceAccount: sa === false ? undefined : (sa ?? { name: 'default', controllers: ['kustomize-controller'] }),
  };
}
