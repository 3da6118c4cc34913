/**
 * Label Reloader's `resourceLabelSelector` selects: only Secrets and ConfigMaps that carry it are
 * watched. ExternalSecrets whose Secret a workload reloads on put it on the Secret through
 * `target.template.metadata.labels` (`RELOADER_WATCH_LABELS`).
 */
export const RELOADER_WATCH_LABEL = 'reloader.flotilla.dev/watch';
export const RELOADER_WATCH_LABELS: Readonly<Record<string, string>> = { [RELOADER_WATCH_LABEL]: 'true' };
/** Tenant namespaces carry the `team` label (charts/platform/teams); Reloader watches only them by default. */
export const TENANT_NAMESPACE_SELECTOR = 'team';
