/**
 * What the collector scrapes: one job per controller, selecting its pods by namespace and labels
 * and keeping only the container port with the metrics name. The labels and port names are the
 * ones each chart renders at the pinned version (`flotilla validate` checks them against the
 * chart's templates and the HelmRelease's values, `scrape/*` findings).
 */
export interface ScrapeJob {
  /** Prometheus `job_name`, also the `job` label of every series. */
  readonly name: string;
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Labels every scraped pod carries (a Kubernetes SD label selector). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Name of the container port that serves `/metrics`. */
  readonly portName: string;
  /** Whether synth renders the NetworkPolicy that lets the collector in; false where the installer brings its own (Flux's `allow-scraping`). @default true */
  readonly admitCollector?: boolean;
}

const FLUX_CONTROLLERS = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'] as const;

/**
 * The platform's controllers:
 * - Karpenter (chart karpenter 1.14.1): `app.kubernetes.io/{name,instance}: karpenter`, port `http-metrics`;
 * - Flux (flux bootstrap): `app: <controller>`, port `http-prom` (Flux's `allow-scraping` NetworkPolicy admits any namespace on 8080);
 * - Gatekeeper (chart 3.23.0): `control-plane: controller-manager` and `audit-controller`, port `metrics`;
 * - External Secrets (chart 2.9.0): `app.kubernetes.io/{name,instance}: external-secrets`, port `metrics`.
 */
export const PLATFORM_SCRAPE_JOBS: readonly ScrapeJob[] = [
  { name: 'karpenter', namespace: 'karpenter', podLabels: { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/instance': 'karpenter' }, portName: 'http-metrics' },
  ...FLUX_CONTROLLERS.map((controller) => ({ name: `flux-${controller}`, namespace: 'flux-system', podLabels: { app: controller }, portName: 'http-prom', admitCollector: false })),
  { name: 'gatekeeper-controller-manager', namespace: 'gatekeeper-system', podLabels: { 'control-plane': 'controller-manager' }, portName: 'metrics' },
  { name: 'gatekeeper-audit', namespace: 'gatekeeper-system', podLabels: { 'control-plane': 'audit-controller' }, portName: 'metrics' },
  { name: 'external-secrets', namespace: 'external-secrets', podLabels: { 'app.kubernetes.io/name': 'external-secrets', 'app.kubernetes.io/instance': 'external-secrets' }, portName: 'metrics' },
];

/** A Kubernetes label selector string (`k=v,k2=v2`, keys sorted) for Prometheus' Kubernetes SD. */
export function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(',');
}

/** Checks a job list: unique names, at least one label, DNS-label namespaces and IANA port names. */
export function validateScrapeJobs(jobs: readonly ScrapeJob[]): void {
  if (jobs.length === 0) throw new Error('metrics scrapeJobs is empty; scrape at least one controller (PLATFORM_SCRAPE_JOBS)');
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.name)) throw new Error(`metrics scrapeJobs names job '${job.name}' twice; give every job its own name`);
    seen.add(job.name);
    if (Object.keys(job.podLabels).length === 0) throw new Error(`metrics scrape job '${job.name}' selects no labels, so it would scrape every pod of '${job.namespace}'; name the controller's pod labels`);
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(job.namespace)) throw new Error(`metrics scrape job '${job.name}': namespace '${job.namespace}' is not a namespace name`);
    if (!/^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/.test(job.portName)) {
      throw new Error(`metrics scrape job '${job.name}': portName '${job.portName}' is not a container port name (IANA_SVC_NAME, at most 15 characters); use the name the chart gives the metrics port`);
    }
  }
}
