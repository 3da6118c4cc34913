import type { Duration } from 'cdk8s';
import { ackHealthCheck, crossplaneManagedHealthCheck, type HealthCheckExpr, type Unit, unitCallSite, SIGNING_UNIT } from '@flotilla/config';
import type { RemovalPolicy } from '@flotilla/constructs';
import { appconfigProviderUnits } from './appconfig-provider';
import { AppConfigBindingResources, type BindingDeploymentStrategy, type RuleTargetRetry } from './binding-resources';
import { roleArn } from '@flotilla/constructs';
import { bindingNames, monitorRoleName, syncDlqArn, syncFunctionName, type AppConfigBindingSpec } from './binding-spec';
import { ChainAlarms } from './chain-alarms';
import { AppConfigMonitorRole } from './guardrails';
import { AppConfigSyncFunction } from './sync-function';

/**
 * What Flux waits for before the unit counts as ready: ACK objects synced with AWS (or terminal),
 * Crossplane AppConfig resources ready and synced. Without them `wait` would pass on apply.
 */
export const APPCONFIG_SYNC_HEALTH_CHECKS: readonly HealthCheckExpr[] = [
  ackHealthCheck('iam.services.k8s.aws/v1alpha1', 'Role'),
  ackHealthCheck('lambda.services.k8s.aws/v1alpha1', 'Function'),
  ackHealthCheck('lambda.services.k8s.aws/v1alpha1', 'Alias'),
  ackHealthCheck('secretsmanager.services.k8s.aws/v1alpha1', 'Secret'),
  ackHealthCheck('eventbridge.services.k8s.aws/v1alpha1', 'Rule'),
  ackHealthCheck('sqs.services.k8s.aws/v1alpha1', 'Queue'),
  ackHealthCheck('sns.services.k8s.aws/v1alpha1', 'Topic'),
  ackHealthCheck('cloudwatch.services.k8s.aws/v1alpha1', 'MetricAlarm'),
  ...['Application', 'Environment', 'ConfigurationProfile', 'DeploymentStrategy', 'ExtensionAssociation'].map((kind) =>
    crossplaneManagedHealthCheck('appconfig.aws.upbound.io/v1beta1', kind),
  ),
];

/** The platform unit's name (= the Nx project of `charts/platform/appconfig-sync`). */
export const APPCONFIG_SYNC_UNIT = 'appconfig-sync-platform';

export interface AppConfigSyncProps {
  /** Every AppConfig binding of the cluster (the same specs the apps pass to `AppConfigBinding`). */
  readonly bindings: readonly AppConfigBindingSpec[];
  /**
   * SQS queue or SNS topic ARN for events that still fail after Lambda's retries and that the rules
   * cannot deliver.
   *
   * @default - the unit's own queue `<eks cluster>-appconfig-sync-dlq` (ACK SQS, SSE, retained)
   */
  readonly deadLetterTargetArn?: string;
  /**
   * Units to wait for besides the previous layer, e.g. the Crossplane ProviderConfig unit when it
   * is in the same layer.
   *
   * @default - none
   */
  readonly dependsOn?: readonly string[];
  /** Crossplane ProviderConfig of the AppConfig provider. @default 'default' */
  readonly providerConfigName?: string;
  /** What deleting objects does to the AppConfig resources, hash secrets and the Lambda role. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default DEFAULT_DEPLOYMENT_STRATEGIES[cluster.environment] (dev all at once; prod linear 20 % every 2 min, 10 min bake) */
  readonly deploymentStrategy?: BindingDeploymentStrategy;
  /** Whether deployments need the binding's approver role. @default APPROVAL_REQUIRED[cluster.environment] (prod only) */
  readonly approvalRequired?: boolean;
  /** @default - 10 retries, events older than 15 minutes dropped */
  readonly retry?: RuleTargetRetry;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /**
   * Render the Crossplane AppConfig provider (`<unit>.identity` and `<unit>.provider` in
   * `infra-controllers`). Turn off when another chart installs `provider-aws-appconfig`.
   *
   * @default true
   */
  readonly installProvider?: boolean;
}

/**
 * The platform side of the AppConfig chain, once per cluster:
 * - `appconfig-sync-platform` (layer `infra-configs`, after the ACK and Crossplane controllers): the
 *   Lambda, its role and alias, the AWS side of every binding (AppConfig resources, hash secret,
 *   rule), the dead-letter queue, the cluster's alarm topic and the chain's alarms ({@link ChainAlarms}). Platform-owned on purpose: tenants' Flux accounts may not write cluster-scoped Crossplane
 *   objects, tag a secret for another tenant, or point rules at the Lambda, and the Lambda's
 *   permissions come only from this typed list.
 * - unless `installProvider: false`, `appconfig-sync-platform.identity` and
 *   `appconfig-sync-platform.provider` (infra-controllers): the Crossplane AppConfig provider.
 */
export function appconfigSync(props: AppConfigSyncProps): Unit[] {
  const providerUnits =
    props.installProvider === false
      ? []
      : appconfigProviderUnits({
          project: APPCONFIG_SYNC_UNIT,
          // Roles the provider passes to AppConfig: external profiles' retrieval roles and the monitor role.
          retrievalRoleArns: (cluster) => [
            ...props.bindings.flatMap((spec) => (spec.location && spec.location.type !== 'hosted' ? [spec.location.retrievalRoleArn] : [])),
            ...(props.bindings.some((spec) => spec.monitor !== false) ? [roleArn(cluster, monitorRoleName(cluster))] : []),
          ],
        });
  const platform: Unit = {
    name: APPCONFIG_SYNC_UNIT,
    project: APPCONFIG_SYNC_UNIT,
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    flux: { healthCheckExprs: APPCONFIG_SYNC_HEALTH_CHECKS },
    // The CodeSigningConfig its Function references comes from the signing unit.
    dependsOn: [...new Set([...(props.dependsOn ?? []), SIGNING_UNIT])],
    render(scope, { cluster }) {
      const deadLetterTargetArn = props.deadLetterTargetArn ?? syncDlqArn(cluster);
      const monitorRole = props.bindings.some((spec) => spec.monitor !== false) ? new AppConfigMonitorRole(scope, 'MonitorRole', { cluster, removalPolicy: props.removalPolicy }) : undefined;
      new AppConfigSyncFunction(scope, 'Sync', {
        cluster,
        bindings: props.bindings,
        deadLetterTargetArn,
        removalPolicy: props.removalPolicy,
        memorySize: props.memorySize,
        timeout: props.timeout,
      });
      for (const spec of props.bindings) {
        new AppConfigBindingResources(scope, `${spec.team.namespace}-${spec.name}`, {
          cluster,
          spec,
          providerConfigName: props.providerConfigName,
          removalPolicy: props.removalPolicy,
          deploymentStrategy: props.deploymentStrategy,
          approvalRequired: props.approvalRequired,
          monitorRoleArn: monitorRole?.roleArn,
          retry: props.retry,
          // EventBridge dead-letter queues are SQS only.
          deadLetterTargetArn: deadLetterTargetArn.split(':')[2] === 'sqs' ? deadLetterTargetArn : undefined,
        });
      }
      const rules = props.bindings.filter((spec) => spec.ids).map((spec) => bindingNames(cluster, spec)).map((names) => ({ name: names.ruleName, arn: names.ruleArn, binding: names.objectName }));
      new ChainAlarms(scope, 'Alarms', {
        cluster,
        functionName: syncFunctionName(cluster),
        rules,
        declareDeadLetterQueue: props.deadLetterTargetArn === undefined,
        removalPolicy: props.removalPolicy,
      });
    },
  };
  return [...providerUnits, platform];
}
