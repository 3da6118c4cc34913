import type { Duration } from 'cdk8s';
import { ackHealthCheck, crossplaneManagedHealthCheck, type HealthCheckExpr, type Unit, unitCallSite, SIGNING_UNIT } from '@flotilla/config';
import type { RemovalPolicy } from '@flotilla/constructs';
import { appconfigProviderUnits } from './appconfig-provider';
import { AppConfigBindingResources, type BindingDeploymentStrategy, type RuleTargetRetry } from './binding-resources';
import type { AppConfigBindingSpec } from './binding-spec';
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
  ...['Application', 'Environment', 'ConfigurationProfile', 'DeploymentStrategy', 'ExtensionAssociation'].map((kind) =>
    crossplaneManagedHealthCheck('appconfig.aws.upbound.io/v1beta1', kind),
  ),
];

/** The platform unit's name (= the Nx project of `charts/platform/appconfig-sync`). */
export const APPCONFIG_SYNC_UNIT = 'appconfig-sync-platform';

export interface AppConfigSyncProps {
  /** Every AppConfig binding of the cluster (the same specs the apps pass to `AppConfigBinding`). */
  readonly bindings: readonly AppConfigBindingSpec[];
  /** SQS queue or SNS topic ARN for events that still fail after Lambda's retries. */
  readonly deadLetterTargetArn: string;
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
  /** @default - no deployment time, no bake */
  readonly deploymentStrategy?: BindingDeploymentStrategy;
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
 *   Lambda, its role and alias, and the AWS side of every binding (AppConfig resources, hash secret,
 *   rule). Platform-owned on purpose: tenants' Flux accounts may not write cluster-scoped Crossplane
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
          retrievalRoleArns: () => props.bindings.flatMap((spec) => (spec.location && spec.location.type !== 'hosted' ? [spec.location.retrievalRoleArn] : [])),
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
      new AppConfigSyncFunction(scope, 'Sync', {
        cluster,
        bindings: props.bindings,
        deadLetterTargetArn: props.deadLetterTargetArn,
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
          retry: props.retry,
        });
      }
    },
  };
  return [...providerUnits, platform];
}
