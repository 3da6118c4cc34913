import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import { ackHealthCheck, resolveFluxSettings, type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import { CLUSTER_TAG_KEY, RemovalPolicy, ackDeletionPolicy, eksClusterNameOf } from '@flotilla/constructs';
import * as ackCommon from '@flotilla/k8s-apis/ack-common';
import * as amp from '@flotilla/k8s-apis/ack-prometheusservice';
import { podSecurityLabels } from '@flotilla/workloads';
import { k8s } from 'cdk8s-plus-28';
import { platformAlertRules, ruleFile, type AlertRuleGroup } from './alert-rules';

/** Namespace of the workspace objects and the collector. */
export const METRICS_NAMESPACE = 'metrics';
export const METRICS_PROJECT = 'metrics';
export const METRICS_WORKSPACE_UNIT = 'metrics.workspace';
/** The ConfigMap ACK writes the workspace ID into (FieldExport), and its key; the collector reads it as an env var. */
export const WORKSPACE_CONFIGMAP = { name: 'amp-workspace', key: 'workspaceID' } as const;
/** The Workspace object's name (other objects refer to it with workspaceRef). */
export const WORKSPACE_OBJECT = 'platform';
/** The tag that names the workspace a collector may write to (set on the Workspace, required by the collector's policy). */
export const WORKSPACE_TAG_KEY = 'flotilla.dev/amp-workspace';

const SNS_TOPIC_ARN = /^arn:aws(-cn|-us-gov)?:sns:([a-z0-9-]+):(\d{12}):([\w-]{1,256})$/;

export interface MetricsWorkspaceProps {
  /**
   * SNS topic that Alertmanager notifies (a standard topic in the cluster's region; its policy must
   * let `aps.amazonaws.com` call sns:Publish and sns:GetTopicAttributes).
   */
  readonly alertTopicArn: string;
  /** Workspace alias. @default - `<eks cluster name>-platform` */
  readonly alias?: string;
  /** Rule groups besides the platform's. @default - none */
  readonly additionalRuleGroups?: readonly AlertRuleGroup[];
  /** What deleting the Workspace object does to the workspace (and its samples) in AWS. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The workspace alias, which the collector's IAM condition also names. */
export function workspaceAliasOf(cluster: ClusterConfig, props: Pick<MetricsWorkspaceProps, 'alias'>): string {
  return props.alias ?? `${eksClusterNameOf(cluster)}-platform`;
}

/** The Alertmanager definition AMP takes: `alertmanager_config` as a string, one SNS receiver with SigV4. */
export function alertManagerDefinition(topicArn: string, region: string): string {
  const config = {
    route: { receiver: 'sns', group_by: ['cluster', 'alertname'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' },
    receivers: [{ name: 'sns', sns_configs: [{ topic_arn: topicArn, sigv4: { region }, attributes: { severity: '{{ .CommonLabels.severity }}' } }] }],
  };
  return stringify({ alertmanager_config: stringify(config) });
}

export function renderMetricsWorkspace(scope: Construct, cluster: ClusterConfig, props: MetricsWorkspaceProps): void {
  const topic = SNS_TOPIC_ARN.exec(props.alertTopicArn);
  if (!topic) throw new Error(`metrics alertTopicArn '${props.alertTopicArn}' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>); pass the alarm topic's ARN`);
  if (topic[2] !== cluster.region) throw new Error(`metrics alertTopicArn is in ${topic[2]}, but AMP in ${cluster.region} notifies only topics of its own region; use a topic in ${cluster.region}`);
  const alias = workspaceAliasOf(cluster, props);
  if (!/^[\w.-]{1,100}$/.test(alias)) throw new Error(`metrics alias '${alias}' is not a workspace alias (1-100 letters, digits, '.', '_', '-')`);
  const namespace = METRICS_NAMESPACE;
  const tags = { [CLUSTER_TAG_KEY]: cluster.name, [WORKSPACE_TAG_KEY]: alias };
  const workspaceRef = { from: { name: WORKSPACE_OBJECT } };
  // A platform namespace, not a tenant's (no `team` label): the Gatekeeper pod constraints check the
  // collector here (PLATFORM_WORKLOAD_NAMESPACES of gatekeeper-policies), the team-ownership labels do not apply.
  new k8s.KubeNamespace(scope, 'Namespace', {
    metadata: { name: namespace, labels: podSecurityLabels(cluster.kubernetesVersion) },
  });
  new amp.Workspace(scope, 'Workspace', {
    metadata: { name: WORKSPACE_OBJECT, namespace, annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN) },
    spec: { alias, tags },
  });
  const groups = [...platformAlertRules({ fluxInterval: resolveFluxSettings(cluster.flux).interval }), ...(props.additionalRuleGroups ?? [])];
  new amp.RuleGroupsNamespace(scope, 'Rules', {
    metadata: { name: 'platform-alerts', namespace },
    spec: { name: 'platform-alerts', configuration: ruleFile(groups), workspaceRef, tags },
  });
  new amp.AlertManagerDefinition(scope, 'AlertManager', {
    metadata: { name: 'platform', namespace },
    spec: { configuration: alertManagerDefinition(props.alertTopicArn, cluster.region), workspaceRef },
  });
  // ACK fills the key once the workspace exists (FieldExport); synth renders the ConfigMap without
  // data so Flux's server-side apply never owns, and never resets, the exported key.
  new k8s.KubeConfigMap(scope, 'WorkspaceId', { metadata: { name: WORKSPACE_CONFIGMAP.name, namespace } });
  new ackCommon.FieldExport(scope, 'WorkspaceIdExport', {
    metadata: { name: 'workspace-id', namespace },
    spec: {
      from: { path: '.status.workspaceID', resource: { group: 'prometheusservice.services.k8s.aws', kind: 'Workspace', name: WORKSPACE_OBJECT } },
      to: { kind: ackCommon.FieldExportSpecToKind.CONFIGMAP, name: WORKSPACE_CONFIGMAP.name, key: WORKSPACE_CONFIGMAP.key },
    },
  });
}

/**
 * `metrics.workspace` (infra-configs, after the ACK prometheusservice controller): the cluster's
 * Amazon Managed Service for Prometheus workspace (retained by default), its alert rules, the
 * Alertmanager definition routing to SNS, and the workspace ID exported for the collector.
 * Flux waits until ACK has synced them in AWS.
 */
export function metricsWorkspaceUnit(props: MetricsWorkspaceProps): Unit {
  return {
    name: METRICS_WORKSPACE_UNIT,
    project: METRICS_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    dependsOn: ['ack.prometheusservice'],
    flux: {
      healthCheckExprs: [
        ackHealthCheck('prometheusservice.services.k8s.aws/v1alpha1', 'Workspace'),
        ackHealthCheck('prometheusservice.services.k8s.aws/v1alpha1', 'RuleGroupsNamespace'),
        ackHealthCheck('prometheusservice.services.k8s.aws/v1alpha1', 'AlertManagerDefinition'),
      ],
    },
    render(scope, { cluster }) {
      renderMetricsWorkspace(scope, cluster, props);
    },
  };
}
