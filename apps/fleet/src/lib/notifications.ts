/**
 * Namespaces where the example fleet's platform units install HelmReleases; the Flux Alerts of
 * every cluster cover them (`flotilla validate` warns about a HelmRelease outside them).
 */
export const PLATFORM_HELM_RELEASE_NAMESPACES = ['ack-system', 'cert-manager', 'crossplane-system', 'external-secrets', 'gatekeeper-system', 'karpenter', 'kong', 'kube-system', 'ratify', 'reloader'] as const;
