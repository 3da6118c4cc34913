import { Duration } from 'cdk8s';
import { DEFAULT_DEPLOYMENT_STRATEGIES, resolveStrategy, type BindingDeploymentStrategy } from './deployment-strategy';
import { APPROVAL_REQUIRED, BindingEditorRoles, WorkloadRestartAlarm } from './guardrails';
import { Construct } from 'constructs';
import type { ClusterConfig } from '@flotilla/config';
import { IDENTITY_NAMESPACE, RemovalPolicy, ackDeletionPolicy, crossplaneDeletionPolicy } from '@flotilla/constructs';
import * as ackEvents from '@flotilla/k8s-apis/ack-eventbridge';
import * as ackSecrets from '@flotilla/k8s-apis/ack-secretsmanager';
import * as xpAws from '@flotilla/k8s-apis/crossplane-aws';
import * as eso from '@flotilla/k8s-apis/external-secrets';
import { APPCONFIG_SCHEMA_ANNOTATION } from '@flotilla/model';
import { CROSSPLANE_NAMESPACE } from './appconfig-provider';
import { eventPatternFor, targetInputFor } from '@flotilla/appconfig-contract';
import { ALLOW_DESTRUCTIVE } from '@flotilla/diff';
import { TENANT_TAG_KEY } from '@flotilla/workloads';
import {
  AppConfigBindingError,
  bindingNames,
  bindingSchema,
  eventBridgeExtensionArn,
  locationUriOf,
  SYNC_TARGET_ID,
  syncAliasArn,
  type AppConfigBindingSpec,
  type BindingNames,
} from './binding-spec';

export type { BindingDeploymentStrategy } from './deployment-strategy';

/** Retry policy of the rule's Lambda target (delivery failures only; function errors are the Lambda's retries and DLQ). */
export interface RuleTargetRetry {
  /** @default 10 */
  readonly maximumRetryAttempts?: number;
  /** Older undelivered events are dropped, so a late Complete cannot overwrite a newer hash much later. @default Duration.minutes(15) */
  readonly maximumEventAge?: Duration;
}

export interface AppConfigBindingResourcesProps {
  readonly cluster: ClusterConfig;
  readonly spec: AppConfigBindingSpec;
  /** Crossplane ProviderConfig of the AppConfig provider. @default 'default' */
  readonly providerConfigName?: string;
  /** What deleting the objects does to the AppConfig resources and the hash secret (the rule is always deleted). @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default DEFAULT_DEPLOYMENT_STRATEGIES[cluster.environment] (prod: linear 20 % every 2 min, 10 min bake) */
  readonly deploymentStrategy?: BindingDeploymentStrategy;
  /** The role AppConfig assumes to read the monitor alarm (`AppConfigMonitorRole`). @default - no monitor */
  readonly monitorRoleArn?: string;
  /** Whether deployments need the approver role. @default APPROVAL_REQUIRED[cluster.environment] (prod only) */
  readonly approvalRequired?: boolean;
  /** @default - see {@link RuleTargetRetry} */
  readonly retry?: RuleTargetRetry;
  /** Where the rule sends events it cannot deliver (target `deadLetterConfig`). @default - none */
  readonly deadLetterTargetArn?: string;
  /** Namespace of the ACK Secret and Rule objects (platform-owned, out of tenant reach). @default IDENTITY_NAMESPACE ('ack-system') */
  readonly namespace?: string;
  /**
   * Store of the schema's ExternalSecret; it must admit {@link schemaNamespace} and read secrets tagged `tenant=platform`.
   * @default { kind: 'ClusterSecretStore', name: 'platform-secrets' }
   */
  readonly schemaStore?: { readonly kind: 'ClusterSecretStore' | 'SecretStore'; readonly name: string };
  /** Namespace of the schema's ExternalSecret and Secret, which the AppConfig provider reads. @default CROSSPLANE_NAMESPACE ('crossplane-system') */
  readonly schemaNamespace?: string;
}

/** Crossplane's `Orphan | Delete` as the generated enum of a kind (all are the same two strings). */
function deletionPolicyOf<T extends string>(policy: RemovalPolicy): T {
  return crossplaneDeletionPolicy(policy) as T;
}


/**
 * The AWS side of one binding, rendered by the platform unit:
 * - AppConfig through Crossplane (`appconfig.aws.upbound.io/v1beta1`): Application, Environment (with
 *   the workload's restart alarm as monitor), ConfigurationProfile (freeform or feature flags), the
 *   environment's DeploymentStrategy (phased on prod) and the ExtensionAssociation of the
 *   AWS-authored EventBridge notification extension on the application. `deletionPolicy: Orphan`
 *   by default; with `ids` set, `crossplane.io/external-name` pins each object to its AWS resource.
 * - The Secrets Manager hash secret (ACK), declared **without** `secretString` so ACK never sends a
 *   value over the Lambda's hash, tagged `tenant=<team>` for the team's SecretStore, retained.
 * - With `ids` set: the EventBridge rule (ACK, default bus) matching this profile's complete and
 *   rollback events, targeting the platform Lambda's alias with this binding's secret id.
 */
export class AppConfigBindingResources extends Construct {
  readonly names: BindingNames;
  /** False until `spec.ids` is set: the rule is not rendered yet. */
  readonly wired: boolean;

  constructor(scope: Construct, id: string, props: AppConfigBindingResourcesProps) {
    super(scope, id);
    const { cluster, spec } = props;
    const names = bindingNames(cluster, spec);
    this.names = names;
    this.wired = spec.ids !== undefined;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const providerConfigRef = { name: props.providerConfigName ?? 'default' };
    const labels = { team: spec.team.name, 'cost-center': spec.team.costCenter, 'flotilla.dev/appconfig-binding': names.objectName };
    const awsTags = { team: spec.team.name, 'cost-center': spec.team.costCenter, 'flotilla.dev/cluster': cluster.name };
    const externalName = (value: string | undefined) => (value ? { annotations: { 'crossplane.io/external-name': value } } : {});
    const ids = spec.ids;
    const region = cluster.region;

    new xpAws.Application(this, 'Application', {
      metadata: { name: names.objectName, labels, ...externalName(ids?.applicationId) },
      spec: {
        deletionPolicy: deletionPolicyOf<xpAws.ApplicationSpecDeletionPolicy>(removalPolicy),
        providerConfigRef,
        forProvider: { region, name: spec.application, description: `${spec.team.namespace}/${spec.name}, managed by Flotilla`, tags: awsTags },
      },
    });
    const applicationIdRef = { name: names.objectName };
    const namespace = props.namespace ?? IDENTITY_NAMESPACE;
    // The environment's monitor: AppConfig rolls back while the workload's restart alarm fires.
    const monitor =
      spec.monitor !== false && props.monitorRoleArn ? { alarmArn: new WorkloadRestartAlarm(this, 'Monitor', { cluster, spec, namespace }).alarmArn, alarmRoleArn: props.monitorRoleArn } : undefined;
    new xpAws.Environment(this, 'Environment', {
      metadata: { name: names.objectName, labels, ...externalName(ids && `${ids.environmentId}:${ids.applicationId}`) },
      spec: {
        deletionPolicy: deletionPolicyOf<xpAws.EnvironmentSpecDeletionPolicy>(removalPolicy),
        providerConfigRef,
        forProvider: { region, name: spec.environment, applicationIdRef, ...(monitor ? { monitor: [monitor] } : {}), tags: awsTags },
      },
    });
    const location = spec.location;
    // The validator's content comes from a Secret (the provider's only source); External Secrets fills it from the
    // content-addressed secret CI created from the same canonical JSON (annotated here, `flotilla validate` checks it).
    const schema = bindingSchema(spec);
    let validator: xpAws.ConfigurationProfileSpecForProviderValidator[] | undefined;
    if (schema) {
      const schemaNamespace = props.schemaNamespace ?? CROSSPLANE_NAMESPACE;
      const secret = `${names.objectName}-appconfig-schema`;
      const store = props.schemaStore ?? { kind: 'ClusterSecretStore', name: 'platform-secrets' };
      new eso.ExternalSecret(this, 'Schema', {
        metadata: { name: secret, namespace: schemaNamespace, labels, annotations: { [APPCONFIG_SCHEMA_ANNOTATION]: schema.canonicalJson } },
        spec: {
          data: [{ secretKey: schema.key, remoteRef: { key: schema.secretName } }],
          refreshInterval: '1h',
          secretStoreRef: { kind: store.kind as eso.ExternalSecretSpecSecretStoreRefKind, name: store.name },
          target: { name: secret, creationPolicy: eso.ExternalSecretSpecTargetCreationPolicy.OWNER },
        },
      });
      validator = [{ type: 'JSON_SCHEMA', contentSecretRef: { name: secret, namespace: schemaNamespace, key: schema.key } }];
    }
    new xpAws.ConfigurationProfile(this, 'Profile', {
      metadata: { name: names.objectName, labels, ...externalName(ids && `${ids.configurationProfileId}:${ids.applicationId}`) },
      spec: {
        deletionPolicy: deletionPolicyOf<xpAws.ConfigurationProfileSpecDeletionPolicy>(removalPolicy),
        providerConfigRef,
        forProvider: {
          region,
          name: spec.profile,
          applicationIdRef,
          locationUri: locationUriOf(location),
          type: spec.profileType ?? 'AWS.Freeform',
          ...(validator ? { validator } : {}),
          ...(location && location.type !== 'hosted' ? { retrievalRoleArn: location.retrievalRoleArn } : {}),
          tags: awsTags,
        },
      },
    });
    let strategy: ReturnType<typeof resolveStrategy>;
    try {
      strategy = resolveStrategy(props.deploymentStrategy ?? DEFAULT_DEPLOYMENT_STRATEGIES[cluster.environment], `appconfig binding '${spec.team.namespace}/${spec.name}'`);
    } catch (error) {
      throw new AppConfigBindingError((error as Error).message);
    }
    const phased = strategy.growthFactor < 100 || strategy.finalBakeTimeInMinutes > 0;
    new xpAws.DeploymentStrategy(this, 'Strategy', {
      metadata: {
        name: `${names.objectName}-rollout`,
        labels,
        // The guard counts every Crossplane resource as stateful; a strategy is only the settings below, so
        // replacing it (e.g. the former `-immediate` one, orphaned) loses nothing.
        annotations: { [ALLOW_DESTRUCTIVE]: 'a deployment strategy holds no data: all its settings are in Git' },
      },
      spec: {
        deletionPolicy: deletionPolicyOf<xpAws.DeploymentStrategySpecDeletionPolicy>(removalPolicy),
        providerConfigRef,
        forProvider: {
          region,
          name: names.deploymentStrategyName,
          description: phased
            ? `${strategy.growthType} ${strategy.growthFactor} % over ${strategy.deploymentDurationInMinutes} min, ${strategy.finalBakeTimeInMinutes} min bake under the environment monitor`
            : 'All at once, no bake: ON_DEPLOYMENT_COMPLETE fires right away (AppConfig.AllAtOnce bakes 10 minutes)',
          ...strategy,
          replicateTo: 'NONE',
          tags: awsTags,
        },
      },
    });
    // On the application: the binding owns it, and the rule filters the profile by ID anyway.
    new xpAws.ExtensionAssociation(this, 'EventBridgeNotifications', {
      metadata: { name: `${names.objectName}-eventbridge`, labels },
      spec: {
        deletionPolicy: deletionPolicyOf<xpAws.ExtensionAssociationSpecDeletionPolicy>(removalPolicy),
        providerConfigRef,
        forProvider: { region, extensionArn: eventBridgeExtensionArn(cluster), resourceArnRef: applicationIdRef },
      },
    });

    new ackSecrets.Secret(this, 'HashSecret', {
      metadata: { name: names.objectName, namespace, labels, annotations: ackDeletionPolicy(removalPolicy) },
      spec: {
        name: names.secretName,
        // Constant on purpose: a changed description makes ACK call UpdateSecret.
        description: 'AppConfig version hash written by the appconfig-sync Lambda, managed by Flotilla',
        ...(spec.kmsKeyArn ? { kmsKeyId: spec.kmsKeyArn } : {}),
        tags: [
          { key: TENANT_TAG_KEY, value: spec.team.name },
          { key: 'flotilla.dev/cluster', value: cluster.name },
          { key: 'flotilla.dev/appconfig-binding', value: `${spec.team.namespace}/${spec.name}` },
        ],
      },
    });

    if (!ids) return; // phase 1: nothing to match yet
    new BindingEditorRoles(this, 'Editors', { cluster, spec, ids, approvalRequired: props.approvalRequired ?? APPROVAL_REQUIRED[cluster.environment], namespace, removalPolicy });
    const retry = props.retry ?? {};
    new ackEvents.Rule(this, 'Rule', {
      metadata: { name: names.objectName, namespace, labels },
      spec: {
        name: names.ruleName,
        description: `AppConfig ${spec.application}/${spec.environment}/${spec.profile} deployments -> appconfig-sync -> ${names.secretName}`,
        eventPattern: eventPatternFor(ids),
        state: 'ENABLED',
        targets: [
          {
            id: SYNC_TARGET_ID,
            arn: syncAliasArn(cluster),
            ...targetInputFor({ secretId: names.secretName, ...(spec.restartOnRollback === false ? { restartOnRollback: false } : {}) }),
            retryPolicy: {
              maximumRetryAttempts: retry.maximumRetryAttempts ?? 10,
              maximumEventAgeInSeconds: Math.round((retry.maximumEventAge ?? Duration.minutes(15)).toSeconds()),
            },
            ...(props.deadLetterTargetArn ? { deadLetterConfig: { arn: props.deadLetterTargetArn } } : {}),
          },
        ],
        tags: [
          { key: 'team', value: spec.team.name },
          { key: 'flotilla.dev/cluster', value: cluster.name },
        ],
      },
    });
  }
}
