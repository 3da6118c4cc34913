import { createHash } from 'node:crypto';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { ClusterConfig, Unit } from '@flotilla/config';
import { unitCallSite } from '@flotilla/config';
import { CLUSTER_TAG_KEY, ControllerNetworkPolicies, PodIdentityRole, identityUnit, regionalArnPrefix } from '@flotilla/constructs';
import { SCRAPE_CONFIG_ANNOTATION, type PolicyStatement } from '@flotilla/model';
import { k8s } from 'cdk8s-plus-28';
import { labelSelector, validateScrapeJobs, type ScrapeJob } from './scrape-jobs';
import { METRICS_NAMESPACE, METRICS_PROJECT, METRICS_WORKSPACE_UNIT, WORKSPACE_CONFIGMAP, WORKSPACE_TAG_KEY } from './workspace';

export const METRICS_COLLECTOR_UNIT = 'metrics.collector';
export const COLLECTOR_NAME = 'collector';
/**
 * AWS Distro for OpenTelemetry collector: the prometheus receiver, the prometheusremotewrite
 * exporter and the sigv4auth extension in one AWS-published image (v0.49.0, aws-observability/aws-otel-collector).
 */
export const DEFAULT_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0';
/** The image's non-root user (the ADOT Dockerfile's `USER`), set explicitly for runAsNonRoot. */
const COLLECTOR_UID = 10001;
const CONFIG_KEY = 'collector.yaml';
const HEALTH_PORT = 13133;

export interface MetricsCollectorProps {
  /** Jobs to scrape. @default PLATFORM_SCRAPE_JOBS */
  readonly scrapeJobs: readonly ScrapeJob[];
  /** Collector image; staging and prod pin it by digest in an allowed registry (FlotillaImageTags, FlotillaAllowedRepos). */
  readonly image: string;
  /** Seconds between scrapes. */
  readonly scrapeIntervalSeconds: number;
  /** Tag value of the workspace (its alias). */
  readonly workspaceAlias: string;
}

/** The collector's only AWS permission: remote-write samples into this cluster's workspace (tagged with its alias). */
export function collectorStatements(cluster: ClusterConfig, workspaceAlias: string): PolicyStatement[] {
  return [
    {
      sid: 'RemoteWriteToClusterWorkspace',
      actions: ['aps:RemoteWrite'],
      resources: [`${regionalArnPrefix(cluster, 'aps')}workspace/*`],
      conditions: { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG_KEY}`]: cluster.name, [`aws:ResourceTag/${WORKSPACE_TAG_KEY}`]: workspaceAlias } },
    },
  ];
}

/** The OpenTelemetry Collector config: Kubernetes pod discovery per job, remote write to AMP with SigV4. */
export function collectorConfig(cluster: ClusterConfig, props: MetricsCollectorProps): string {
  const scrapeConfigs = props.scrapeJobs.map((job) => ({
    job_name: job.name,
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [job.namespace] }, selectors: [{ role: 'pod', label: labelSelector(job.podLabels) }] }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: job.portName },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    ],
  }));
  return stringify({
    extensions: { sigv4auth: { region: cluster.region, service: 'aps' }, health_check: { endpoint: `0.0.0.0:${HEALTH_PORT}` } },
    receivers: { prometheus: { config: { global: { scrape_interval: `${props.scrapeIntervalSeconds}s` }, scrape_configs: scrapeConfigs } } },
    processors: { batch: {} },
    exporters: {
      prometheusremotewrite: {
        // The collector expands ${env:…} when it loads the config; ACK exported the ID (FieldExport).
        endpoint: `https://aps-workspaces.${cluster.region}.amazonaws.com/workspaces/\${env:AMP_WORKSPACE_ID}/api/v1/remote_write`,
        auth: { authenticator: 'sigv4auth' },
        external_labels: { cluster: cluster.name },
      },
    },
    service: {
      extensions: ['sigv4auth', 'health_check'],
      pipelines: { metrics: { receivers: ['prometheus'], processors: ['batch'], exporters: ['prometheusremotewrite'] } },
    },
  });
}

const port = (name: string) => k8s.IntOrString.fromString(name);
const inNamespace = (namespace: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': namespace } });
const COLLECTOR_LABELS = { 'app.kubernetes.io/name': 'otel-collector', 'app.kubernetes.io/instance': COLLECTOR_NAME };

export function renderCollector(scope: Construct, cluster: ClusterConfig, props: MetricsCollectorProps): void {
  validateScrapeJobs(props.scrapeJobs);
  if (!Number.isInteger(props.scrapeIntervalSeconds) || props.scrapeIntervalSeconds < 10 || props.scrapeIntervalSeconds > 300) {
    throw new Error(`metrics scrapeInterval is ${props.scrapeIntervalSeconds}s; use 10 s to 5 minutes in whole seconds (AMP bills per sample)`);
  }
  const namespace = METRICS_NAMESPACE;
  const config = collectorConfig(cluster, props);
  new k8s.KubeServiceAccount(scope, 'ServiceAccount', { metadata: { name: COLLECTOR_NAME, namespace } });
  new k8s.KubeConfigMap(scope, 'Config', {
    metadata: { name: `${COLLECTOR_NAME}-config`, namespace, annotations: { [SCRAPE_CONFIG_ANNOTATION]: CONFIG_KEY } },
    data: { [CONFIG_KEY]: config },
  });
  new k8s.KubeDeployment(scope, 'Deployment', {
    metadata: { name: COLLECTOR_NAME, namespace, labels: COLLECTOR_LABELS },
    spec: {
      replicas: 1,
      selector: { matchLabels: COLLECTOR_LABELS },
      template: {
        // A config change rolls the pod (the collector reads its config once).
        metadata: { labels: COLLECTOR_LABELS, annotations: { 'flotilla.dev/config-sha256': createHash('sha256').update(config).digest('hex') } },
        spec: {
          serviceAccountName: COLLECTOR_NAME,
          securityContext: { runAsNonRoot: true, runAsUser: COLLECTOR_UID, runAsGroup: COLLECTOR_UID, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'collector',
              image: props.image,
              args: [`--config=/conf/${CONFIG_KEY}`],
              env: [{ name: 'AMP_WORKSPACE_ID', valueFrom: { configMapKeyRef: { name: WORKSPACE_CONFIGMAP.name, key: WORKSPACE_CONFIGMAP.key } } }],
              ports: [{ name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/', port: port('health') }, periodSeconds: 30 },
              readinessProbe: { httpGet: { path: '/', port: port('health') }, periodSeconds: 10 },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('256Mi') },
                limits: { memory: k8s.Quantity.fromString('256Mi') },
              },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'config', mountPath: '/conf', readOnly: true }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: `${COLLECTOR_NAME}-config` } }],
        },
      },
    },
  });
  // The collector's namespace: DNS, the Kubernetes API (pod discovery) and AMP over HTTPS, then each target's metrics port.
  new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace, awsApis: true });
  new k8s.KubeNetworkPolicy(scope, 'ScrapeEgress', {
    metadata: { name: 'allow-scrape-egress', namespace },
    spec: {
      podSelector: { matchLabels: COLLECTOR_LABELS },
      policyTypes: ['Egress'],
      egress: props.scrapeJobs.map((job) => ({ to: [{ namespaceSelector: inNamespace(job.namespace), podSelector: { matchLabels: { ...job.podLabels } } }], ports: [{ port: port(job.portName), protocol: 'TCP' }] })),
    },
  });
  for (const job of props.scrapeJobs) {
    if (job.admitCollector === false) continue;
    new k8s.KubeNetworkPolicy(scope, `Admit-${job.name}`, {
      metadata: { name: `allow-scrape-${job.name}`.slice(0, 63), namespace: job.namespace },
      spec: {
        podSelector: { matchLabels: { ...job.podLabels } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: inNamespace(namespace), podSelector: { matchLabels: COLLECTOR_LABELS } }], ports: [{ port: port(job.portName), protocol: 'TCP' }] }],
      },
    });
  }
  // Pod discovery reads pods in the target namespaces only (no cluster-wide list).
  for (const target of [...new Set(props.scrapeJobs.map((job) => job.namespace))].sort()) {
    const name = `${METRICS_NAMESPACE}-${COLLECTOR_NAME}-discovery`;
    new k8s.KubeRole(scope, `Discovery-${target}`, { metadata: { name, namespace: target }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] });
    new k8s.KubeRoleBinding(scope, `DiscoveryBinding-${target}`, {
      metadata: { name, namespace: target },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: COLLECTOR_NAME, namespace }],
    });
  }
}

/** `metrics.identity` (infra-controllers): the collector's Pod Identity role, before any collector pod starts. */
export function collectorIdentityUnit(workspaceAlias: (cluster: ClusterConfig) => string): Unit {
  return identityUnit({
    project: METRICS_PROJECT,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      new PodIdentityRole(scope, 'CollectorIdentity', {
        cluster,
        roleSuffix: `${METRICS_NAMESPACE}-${COLLECTOR_NAME}`,
        serviceAccountNamespace: METRICS_NAMESPACE,
        serviceAccountName: COLLECTOR_NAME,
        statements: collectorStatements(cluster, workspaceAlias(cluster)),
      });
    },
  });
}

/** `metrics.collector` (infra-configs, after the workspace): the collector Deployment, its config, network policies and discovery RBAC. */
export function collectorUnit(props: (cluster: ClusterConfig) => MetricsCollectorProps): Unit {
  return {
    name: METRICS_COLLECTOR_UNIT,
    project: METRICS_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    dependsOn: [METRICS_WORKSPACE_UNIT],
    render(scope, { cluster }) {
      renderCollector(scope, cluster, props(cluster));
    },
  };
}
