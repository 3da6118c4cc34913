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
   * name `kustomize-controller` explicitly. helm-controller is opt-in, and off by default on purpose:
   * a HelmRelease impersonates an account of its own namespace, and the platform's releases live in
   * eight add-on namespaces (kube-system among them), so turning it on means either a cluster-admin
   * ServiceAccount in each (any pod there could mount it) or moving every release to `flux-system`,
   * which deletes and so uninstalls each add-on on the way. Tenants are fenced without it: their Flux
   * account and people role cannot create HelmReleases, a tenant unit may not contain one (synth),
   * and `FlotillaTenantFluxAccount` rejects a HelmRelease without `serviceAccountName` in a tenant
   * namespace (a team bound to `edit` inherits Flux's aggregated edit rights).
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
