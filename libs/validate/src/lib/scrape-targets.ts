import { parse } from 'yaml';
import { SCRAPE_CONFIG_ANNOTATION, apiGroupOf, findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { metricsPodsIn, type MetricsPod } from './chart-metrics-pods';
import { field, listOf, type ClusterIndex } from './cluster-index';
import { POD_SPEC_PATHS } from './pod-specs';

/** What one scrape job selects: pods of a namespace with these labels, container port with this name. */
export interface ScrapeSelection {
  readonly job: string;
  readonly namespaces: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly portName: string | undefined;
}

/** Reads the Kubernetes pod discovery, label selector and `keep` on the port name from one Prometheus scrape config. */
export function scrapeSelectionOf(config: unknown): ScrapeSelection | undefined {
  const sd = listOf<Record<string, unknown>>(field(config, 'kubernetes_sd_configs')).find((c) => c?.role === 'pod');
  if (!sd) return undefined;
  const labels: Record<string, string> = {};
  for (const selector of listOf<{ role?: unknown; label?: unknown }>(sd.selectors)) {
    if (selector?.role !== 'pod' || typeof selector.label !== 'string') continue;
    for (const term of selector.label.split(',')) {
      const [key, value] = term.split('=');
      if (key && value !== undefined) labels[key.trim()] = value.trim();
    }
  }
  const keep = listOf<{ source_labels?: unknown; action?: unknown; regex?: unknown }>(field(config, 'relabel_configs')).find(
    (r) => r?.action === 'keep' && Array.isArray(r.source_labels) && r.source_labels.includes('__meta_kubernetes_pod_container_port_name'),
  );
  return {
    job: String(field(config, 'job_name') ?? '(unnamed)'),
    namespaces: listOf<string>(field(sd, 'namespaces', 'names')).filter((n) => typeof n === 'string'),
    labels,
    portName: typeof keep?.regex === 'string' ? keep.regex : undefined,
  };
}

/** Pods of rendered workloads (Deployments, StatefulSets, …) in a namespace, as metrics pods. */
function renderedPodsIn(index: ClusterIndex, namespace: string): MetricsPod[] {
  const pods: MetricsPod[] = [];
  for (const rendered of index.objects) {
    const base = POD_SPEC_PATHS[`${apiGroupOf(rendered.object.apiVersion)}/${rendered.object.kind}`];
    if (!base || rendered.object.metadata.namespace !== namespace) continue;
    const labels = rendered.object.kind === 'Pod' ? rendered.object.metadata.labels : field<Record<string, string>>(rendered.object, ...base.slice(0, -1), 'metadata', 'labels');
    const spec = field<Record<string, unknown>>(rendered.object, ...base);
    const portNames = listOf<{ ports?: unknown }>(spec?.containers).flatMap((c) => listOf<{ name?: unknown }>(c?.ports).map((p) => p?.name).filter((n): n is string => typeof n === 'string'));
    pods.push({ source: `${rendered.object.kind} ${namespace}/${rendered.object.metadata.name}`, labels: labels ?? {}, portNames });
  }
  return pods;
}

const matches = (pod: MetricsPod, labels: Readonly<Record<string, string>>) => Object.entries(labels).every(([key, value]) => pod.labels[key] === value);

/**
 * Every scrape job of a collector config (a ConfigMap annotated `flotilla.dev/scrape-config`) must
 * select pods that exist in the same cluster, by namespace and labels, with a container port of the
 * kept name, and the chart must serve plain-HTTP metrics there with the HelmRelease's values;
 * otherwise the job scrapes nothing and its alerts never fire.
 */
export function checkScrapeTargets(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  for (const configMap of index.ofKind('', 'ConfigMap')) {
    const key = configMap.object.metadata.annotations?.[SCRAPE_CONFIG_ANNOTATION];
    if (!key) continue;
    const text = field<unknown>(configMap.object, 'data', key);
    const path = `data.${key}`;
    if (typeof text !== 'string') {
      findings.push(findingFor(configMap, { severity: 'error', code: 'scrape/missing-config', path, message: `the ${SCRAPE_CONFIG_ANNOTATION} annotation names data key ${key}, which the ConfigMap does not have`, fix: `put the collector config under data.${key} or fix the annotation` }));
      continue;
    }
    const jobs = listOf<unknown>(field(parse(text), 'receivers', 'prometheus', 'config', 'scrape_configs'));
    jobs.forEach((job, i) => findings.push(...checkJob(index, configMap, `${path} receivers.prometheus.config.scrape_configs[${i}]`, job)));
  }
  return findings;
}

function checkJob(index: ClusterIndex, configMap: RenderedObject, path: string, config: unknown): Finding[] {
  const selection = scrapeSelectionOf(config);
  if (!selection) return [];
  const at = (code: string, message: string, fix: string): Finding => findingFor(configMap, { severity: 'error', code, path, message: `scrape job ${selection.job}: ${message}`, fix });
  if (selection.namespaces.length === 0) return [at('scrape/no-namespace', 'pod discovery names no namespace, so it would list pods cluster-wide', 'set kubernetes_sd_configs[].namespaces.names to the controller\'s namespace')];
  if (!selection.portName) return [at('scrape/no-port', 'no relabel rule keeps one container port by name, so every port of every pod is scraped', 'add a keep rule on __meta_kubernetes_pod_container_port_name with the metrics port name')];
  const findings: Finding[] = [];
  const selector = Object.entries(selection.labels).map(([k, v]) => `${k}=${v}`).join(',') || '(no labels)';
  for (const namespace of selection.namespaces) {
    const pods = [...renderedPodsIn(index, namespace), ...metricsPodsIn(index, namespace)];
    const selected = pods.filter((pod) => matches(pod, selection.labels));
    if (selected.length === 0) {
      const known = pods.map((pod) => `${pod.source} {${Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(',')}}`);
      findings.push(at('scrape/no-target', `no pod in namespace ${namespace} of cluster ${index.cluster ?? '(none)'} carries the labels ${selector}${known.length ? `; pods there: ${known.join('; ')}` : ' (nothing there serves metrics)'}`, 'select the labels the chart gives the controller\'s pods, or install the controller in that namespace'));
      continue;
    }
    const withPort = selected.filter((pod) => pod.portNames.includes(selection.portName!));
    if (withPort.length === 0) {
      findings.push(at('scrape/no-port', `the pods it selects (${selected.map((p) => p.source).join(', ')}) have no container port named ${selection.portName} (ports: ${[...new Set(selected.flatMap((p) => p.portNames))].join(', ')})`, 'keep the port name the chart gives the metrics port'));
      continue;
    }
    for (const pod of withPort) {
      if (pod.disabledBy) findings.push(at('scrape/metrics-disabled', `${pod.source}: ${pod.disabledBy.message} (${pod.disabledBy.path})`, pod.disabledBy.fix));
    }
  }
  return findings;
}
