/**
 * On a HelmRelease (or Crossplane Provider): the API groups whose CRDs it installs, comma-separated. Written by
 * the constructs that install CRDs, read by the check that every custom resource's CRD comes from a dependency.
 */
export const INSTALLS_CRDS_ANNOTATION = 'flotilla.dev/installs-crds';

/**
 * On a ConfigMap: the data key that holds an OpenTelemetry Collector config, whose `prometheus`
 * receiver's scrape jobs `flotilla validate` checks against the cluster's workloads and charts.
 */
export const SCRAPE_CONFIG_ANNOTATION = 'flotilla.dev/scrape-config';
