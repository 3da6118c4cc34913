import type { ClusterConfig } from '@flotilla/config';
import { clusterRoleName, eksClusterNameOf, partitionOf } from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';
import { handlerPolicyStatements } from '@flotilla/appconfig-contract';
import type { TeamRef } from '@flotilla/workloads';
import { compileProfileSchema, type CompiledProfileSchema, type ProfileSchema } from './profile-schema';

/**
 * The typed identity of one binding (one AppConfig profile in one environment → one Secrets Manager
 * hash secret → one workload). The cluster's `appconfig.ts` declares each spec once and hands the
 * same value to the platform unit (`appconfigSync`, which owns everything on the AWS side) and to
 * the app (`AppConfigBinding`, which owns the cluster side), so names and ARNs cannot drift apart.
 */

/** AWS-generated AppConfig IDs (`[a-z0-9]{4,7}`), read from the Crossplane objects' `status.atProvider.id` after phase 1. */
export interface AppConfigIds {
  readonly applicationId: string;
  readonly environmentId: string;
  readonly configurationProfileId: string;
  /**
   * The binding's deployment strategy's ID; editors and approvers may then start deployments with
   * that strategy only.
   *
   * @default - not known yet: `StartDeployment` is granted with any strategy of the account
   */
  readonly deploymentStrategyId?: string;
}

/** The profile types AppConfig knows (`Type` of CreateConfigurationProfile). */
export type ProfileType = 'AWS.Freeform' | 'AWS.AppConfig.FeatureFlags';
export const PROFILE_TYPES: readonly ProfileType[] = ['AWS.Freeform', 'AWS.AppConfig.FeatureFlags'];

/** The environment monitor of a binding: a CloudWatch alarm AppConfig watches during rollout and bake. */
export interface BindingMonitor {
  /**
   * The bound workload's name as Container Insights reports it (`PodName` dimension: the pods'
   * owner name, e.g. the Deployment's).
   *
   * @default - the binding name
   */
  readonly workload?: string;
  /** New container restarts within one minute that roll the deployment back. @default 1 */
  readonly restartThreshold?: number;
}

/** Who may edit a binding's configuration (the seed's "different team members"). */
export interface BindingEditors {
  /**
   * Principals that may assume the editor role (and, where approval is required, the approver role).
   *
   * @default - principals of the cluster's account tagged `team=<team>` (e.g. IAM Identity Center users)
   */
  readonly principalArns?: readonly string[];
}

/** Where the profile's configuration is stored. */
export type ProfileLocation =
  /** AppConfig hosted configuration store (also every feature-flag profile). */
  | { readonly type: 'hosted' }
  /** An S3 object; AppConfig reads it with `retrievalRoleArn`. */
  | { readonly type: 's3'; readonly bucket: string; readonly key: string; readonly retrievalRoleArn: string }
  /** An SSM parameter; AppConfig reads it with `retrievalRoleArn`. */
  | { readonly type: 'ssm-parameter'; readonly parameterName: string; readonly retrievalRoleArn: string };

export interface AppConfigBindingSpec {
  /** Binding name, a DNS label of at most 40 characters, unique within the team; names the secret, the rule and the Kubernetes objects. */
  readonly name: string;
  /** The team that owns the workload; its namespace, name (the `tenant` tag ESO matches) and cost center. */
  readonly team: TeamRef;
  /** AppConfig application name (`[A-Za-z0-9._-]`, 1-64). */
  readonly application: string;
  /** AppConfig environment name (`[A-Za-z0-9._-]`, 1-64). */
  readonly environment: string;
  /** AppConfig configuration profile name (`[A-Za-z0-9._-]`, 1-64). */
  readonly profile: string;
  /**
   * The AppConfig IDs AWS assigned. The event pattern and every IAM statement name them, so the
   * chain renders only once they are known.
   *
   * @default - not known yet (phase 1): only the AppConfig resources and the hash secret render
   */
  readonly ids?: AppConfigIds;
  /** @default { type: 'hosted' } */
  readonly location?: ProfileLocation;
  /**
   * `AWS.AppConfig.FeatureFlags` for a feature-flag profile (hosted only; the Lambda hashes the stored
   * flag document), or a freeform configuration.
   *
   * @default 'AWS.Freeform'
   */
  readonly profileType?: ProfileType;
  /**
   * The JSON Schema every configuration version must satisfy before AppConfig deploys it (the profile's
   * `JSON_SCHEMA` validator), declared in the app as a typed constant. Required for freeform profiles: there is
   * no default, since a schema that accepts anything would only look like a guardrail. Not allowed on feature-flag
   * profiles: AppConfig validates those against its own feature-flag schema and takes no JSON Schema validator.
   */
  readonly schema?: ProfileSchema;
  /**
   * The environment's monitor: the workload's restart alarm, which rolls a deployment back. `false`
   * turns it off (then nothing stops a bad configuration before every pod has it).
   *
   * @default - on, see {@link BindingMonitor}
   */
  readonly monitor?: BindingMonitor | false;
  /** The IAM roles of the configuration's editors (and approvers). @default - see {@link BindingEditors} */
  readonly editors?: BindingEditors;
  /**
   * Customer-managed KMS key of the hash secret (the Lambda gets `kms:Decrypt`/`kms:GenerateDataKey`
   * through Secrets Manager only). The tenant secrets access role must be allowed to decrypt with it too.
   *
   * @default - the account's `aws/secretsmanager` key
   */
  readonly kmsKeyArn?: string;
  /**
   * Restart the workload on a rollback even when the restored configuration equals the last written
   * one (pods started during the failed deployment read the bad version). Same default as the Lambda.
   *
   * @default true
   */
  readonly restartOnRollback?: boolean;
}

/** Short name of the platform Lambda and its role: `<eks cluster>-appconfig-sync`. */
export const SYNC_FUNCTION_SUFFIX = 'appconfig-sync';
/** The alias EventBridge invokes; it carries the resource-based permissions. */
export const SYNC_ALIAS_NAME = 'live';
/** The AWS-authored extension that forwards deployment events to the default event bus (version 1). */
export const EVENTBRIDGE_EXTENSION_ID = 'AWS.AppConfig.DeploymentNotificationsToEventBridge';
/** Rule target id of every binding's rule. */
export const SYNC_TARGET_ID = 'appconfig-sync';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const APPCONFIG_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const APPCONFIG_ID = /^[a-z0-9]{4,7}$/;
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Thrown for a binding spec that cannot render; the message names the field, the value and the fix. */
export class AppConfigBindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppConfigBindingError';
  }
}

/** Names and ARNs of one binding on one cluster, derived in one place. */
export interface BindingNames {
  /** `<namespace>-<name>`: Crossplane objects (cluster-scoped) and the platform's ACK objects. */
  readonly objectName: string;
  /** Secrets Manager secret name: `flotilla/<eks cluster>/appconfig/<namespace>/<name>`. */
  readonly secretName: string;
  /** Kubernetes Secret (and ExternalSecret) in the team namespace: `<name>-appconfig-version`. */
  readonly kubernetesSecretName: string;
  /** EventBridge rule on the default bus: `<eks cluster>-appconfig-<namespace>-<name>`. */
  readonly ruleName: string;
  readonly ruleArn: string;
  /** Inline policy of the Lambda role: `appconfig-<namespace>-<name>`. */
  readonly policyName: string;
  /** Statement id of the alias permission: `events-<namespace>-<name>`. */
  readonly permissionStatementId: string;
  /** AWS name of the binding's deployment strategy: `flotilla-<namespace>-<name>-rollout`. */
  readonly deploymentStrategyName: string;
  /** The workload's restart alarm (the environment monitor): `<eks cluster>-appconfig-<namespace>-<name>-restarts`. */
  readonly monitorAlarmName: string;
  /** IAM role of the configuration's editors: `<eks cluster>-appconfig-<namespace>-<name>-editor`. */
  readonly editorRoleName: string;
  /** IAM role that may start deployments where approval is required: `<eks cluster>-appconfig-<namespace>-<name>-approver`. */
  readonly approverRoleName: string;
}

/** Checks a spec; throws {@link AppConfigBindingError} naming the field and the fix. */
export function validateBindingSpec(spec: AppConfigBindingSpec): void {
  const where = `appconfig binding '${spec.team?.namespace}/${spec.name}'`;
  if (!DNS_LABEL.test(spec.name) || spec.name.length > 40) {
    throw new AppConfigBindingError(`${where}: 'name' ('${spec.name}') must be a DNS label of at most 40 characters (lowercase letters, digits, '-'); shorten it`);
  }
  if (!DNS_LABEL.test(spec.team.namespace) || !DNS_LABEL.test(spec.team.name)) {
    throw new AppConfigBindingError(`${where}: 'team' ('${spec.team.name}' in namespace '${spec.team.namespace}') needs DNS-label name and namespace; pass teamRef(teamConfig)`);
  }
  for (const field of ['application', 'environment', 'profile'] as const) {
    if (!APPCONFIG_NAME.test(spec[field])) {
      throw new AppConfigBindingError(
        `${where}: '${field}' ('${spec[field]}') must be 1-64 letters, digits, '.', '_' or '-' (the agent's PREFETCH_LIST and the retrieval URL use it unescaped)`,
      );
    }
  }
  if (spec.ids) {
    for (const key of ['applicationId', 'environmentId', 'configurationProfileId'] as const) {
      if (!APPCONFIG_ID.test(spec.ids[key])) {
        throw new AppConfigBindingError(`${where}: 'ids.${key}' ('${spec.ids[key]}') must be an AppConfig ID, 4-7 lowercase letters or digits; copy it from the Crossplane object's status.atProvider.id`);
      }
    }
  }
  if (spec.kmsKeyArn !== undefined && !KMS_KEY_ARN.test(spec.kmsKeyArn)) {
    throw new AppConfigBindingError(`${where}: 'kmsKeyArn' ('${spec.kmsKeyArn}') must be a KMS key ARN, 'arn:aws:kms:<region>:<account>:key/<id>'`);
  }
  if (spec.ids?.deploymentStrategyId !== undefined && !APPCONFIG_ID.test(spec.ids.deploymentStrategyId)) {
    throw new AppConfigBindingError(`${where}: 'ids.deploymentStrategyId' ('${spec.ids.deploymentStrategyId}') must be an AppConfig ID, 4-7 lowercase letters or digits; copy it from the DeploymentStrategy's status.atProvider.id`);
  }
  if (spec.profileType !== undefined && !PROFILE_TYPES.includes(spec.profileType)) {
    throw new AppConfigBindingError(`${where}: 'profileType' ('${spec.profileType}') must be one of ${PROFILE_TYPES.join(', ')}`);
  }
  if (spec.profileType === 'AWS.AppConfig.FeatureFlags' && spec.location && spec.location.type !== 'hosted') {
    throw new AppConfigBindingError(`${where}: a feature-flag profile ('AWS.AppConfig.FeatureFlags') lives in the AppConfig hosted store; remove 'location' (${spec.location.type})`);
  }
  const featureFlags = spec.profileType === 'AWS.AppConfig.FeatureFlags';
  if (featureFlags && spec.schema !== undefined) {
    throw new AppConfigBindingError(`${where}: a feature-flag profile takes no 'schema': AppConfig validates flags against its own schema (JSON Schema validators are for freeform profiles); remove 'schema'`);
  }
  if (!featureFlags && spec.schema === undefined) {
    throw new AppConfigBindingError(
      `${where}: 'schema' is missing; a freeform profile needs the JSON Schema its configuration must satisfy (AppConfig's JSON_SCHEMA validator), declared in the app, e.g. const SETTINGS_SCHEMA: JSONSchemaType<Settings> = { type: 'object', ... }`,
    );
  }
  if (spec.monitor && spec.monitor.restartThreshold !== undefined && (!Number.isInteger(spec.monitor.restartThreshold) || spec.monitor.restartThreshold < 1)) {
    throw new AppConfigBindingError(`${where}: 'monitor.restartThreshold' (${spec.monitor.restartThreshold}) must be a whole number of restarts, at least 1`);
  }
  if (spec.monitor && spec.monitor.workload !== undefined && !DNS_LABEL.test(spec.monitor.workload)) {
    throw new AppConfigBindingError(`${where}: 'monitor.workload' ('${spec.monitor.workload}') must be the workload's name (a DNS label)`);
  }
  for (const arn of spec.editors?.principalArns ?? []) {
    if (!/^arn:aws[a-z-]*:(iam::\d{12}:(role|user)\/[\w+=,.@/-]+|sts::\d{12}:assumed-role\/[\w+=,.@/-]+)$/.test(arn)) {
      throw new AppConfigBindingError(`${where}: 'editors.principalArns' has '${arn}', which is not an IAM role or user ARN`);
    }
  }
  const location = spec.location;
  if (location && location.type !== 'hosted' && !ROLE_ARN.test(location.retrievalRoleArn)) {
    throw new AppConfigBindingError(`${where}: 'location.retrievalRoleArn' ('${location.retrievalRoleArn}') must be an IAM role ARN AppConfig assumes to read the ${location.type} source`);
  }
}

/** Names and ARNs of a binding on a cluster; validates the spec and the lengths AWS allows. */
export function bindingNames(cluster: ClusterConfig, spec: AppConfigBindingSpec): BindingNames {
  validateBindingSpec(spec);
  const eks = eksClusterNameOf(cluster);
  const ns = spec.team.namespace;
  const ruleName = `${eks}-appconfig-${ns}-${spec.name}`;
  if (!RULE_NAME.test(ruleName)) {
    throw new AppConfigBindingError(
      `appconfig binding '${ns}/${spec.name}': rule name '${ruleName}' is ${ruleName.length} characters, EventBridge allows 64; shorten the binding name`,
    );
  }
  const deploymentStrategyName = `flotilla-${ns}-${spec.name}-rollout`;
  if (deploymentStrategyName.length > 64) {
    throw new AppConfigBindingError(
      `appconfig binding '${ns}/${spec.name}': deployment strategy name '${deploymentStrategyName}' is ${deploymentStrategyName.length} characters, AppConfig allows 64; shorten the binding name`,
    );
  }
  return {
    objectName: `${ns}-${spec.name}`,
    secretName: `flotilla/${eks}/appconfig/${ns}/${spec.name}`,
    kubernetesSecretName: `${spec.name}-appconfig-version`,
    ruleName,
    ruleArn: `arn:${partitionOf(cluster.region)}:events:${cluster.region}:${cluster.account}:rule/${ruleName}`,
    policyName: `appconfig-${ns}-${spec.name}`,
    permissionStatementId: `events-${ns}-${spec.name}`,
    deploymentStrategyName,
    monitorAlarmName: `${eks}-appconfig-${ns}-${spec.name}-restarts`,
    editorRoleName: clusterRoleName(cluster, `appconfig-${ns}-${spec.name}-editor`),
    approverRoleName: clusterRoleName(cluster, `appconfig-${ns}-${spec.name}-approver`),
  };
}

/** The binding's compiled JSON Schema and its content-addressed secret; `undefined` for a feature-flag profile. */
export function bindingSchema(spec: AppConfigBindingSpec): CompiledProfileSchema | undefined {
  validateBindingSpec(spec);
  if (spec.schema === undefined) return undefined;
  try {
    return compileProfileSchema(`appconfig binding '${spec.team.namespace}/${spec.name}'`, spec.application, spec.profile, spec.schema);
  } catch (error) {
    throw new AppConfigBindingError((error as Error).message);
  }
}

/** The platform Lambda's name on a cluster: `<eks cluster>-appconfig-sync`. */
export function syncFunctionName(cluster: ClusterConfig): string {
  return clusterRoleName(cluster, SYNC_FUNCTION_SUFFIX);
}

/** The chain's dead-letter queue (ACK SQS): `<eks cluster>-appconfig-sync-dlq`. */
export function syncDlqName(cluster: ClusterConfig): string {
  return clusterRoleName(cluster, `${SYNC_FUNCTION_SUFFIX}-dlq`);
}

/** ARN of the chain's dead-letter queue. */
export function syncDlqArn(cluster: ClusterConfig): string {
  return `arn:${partitionOf(cluster.region)}:sqs:${cluster.region}:${cluster.account}:${syncDlqName(cluster)}`;
}

/** The role AppConfig assumes to read its environments' monitor alarms: `<eks cluster>-appconfig-monitor`. */
export function monitorRoleName(cluster: ClusterConfig): string {
  return clusterRoleName(cluster, 'appconfig-monitor');
}

/** ARN of the alias every binding's rule targets: `arn:aws:lambda:<r>:<a>:function:<eks>-appconfig-sync:live`. */
export function syncAliasArn(cluster: ClusterConfig): string {
  return `arn:${partitionOf(cluster.region)}:lambda:${cluster.region}:${cluster.account}:function:${syncFunctionName(cluster)}:${SYNC_ALIAS_NAME}`;
}

/** The extension's ARN in the cluster's region (the account field is empty for AWS-authored extensions). */
export function eventBridgeExtensionArn(cluster: ClusterConfig): string {
  return `arn:${partitionOf(cluster.region)}:appconfig:${cluster.region}::extension/${EVENTBRIDGE_EXTENSION_ID}/1`;
}

/** The `locationUri` AppConfig stores for a profile location. */
export function locationUriOf(location: ProfileLocation | undefined): string {
  if (!location || location.type === 'hosted') return 'hosted';
  if (location.type === 's3') return `s3://${location.bucket}/${location.key}`;
  return `ssm-parameter://${location.parameterName}`;
}

function requireIds(spec: AppConfigBindingSpec, what: string): AppConfigIds {
  if (!spec.ids) {
    throw new AppConfigBindingError(
      `appconfig binding '${spec.team.namespace}/${spec.name}' has no 'ids' yet, so ${what} cannot be scoped; deploy phase 1, then copy the IDs from status.atProvider.id of the Crossplane objects into 'ids'`,
    );
  }
  return spec.ids;
}

/**
 * The Lambda's statements for this binding, exactly as the Lambda's own `handlerPolicyStatements`
 * builds them (profile, deployments, data plane and this binding's secret only).
 */
export function bindingHandlerStatements(cluster: ClusterConfig, spec: AppConfigBindingSpec): PolicyStatement[] {
  const ids = requireIds(spec, 'the Lambda policy');
  return handlerPolicyStatements({
    region: cluster.region,
    account: cluster.account,
    partition: partitionOf(cluster.region),
    ...ids,
    secretId: bindingNames(cluster, spec).secretName,
    profileLocation: (spec.location?.type ?? 'hosted') === 'hosted' ? 'hosted' : 'external',
    kmsKeyArn: spec.kmsKeyArn,
  });
}

/** ARN the workload's data-plane calls authorize against: `…:application/<app>/environment/<env>/configuration/<profile>`. */
export function configurationArn(cluster: ClusterConfig, ids: AppConfigIds): string {
  return (
    `arn:${partitionOf(cluster.region)}:appconfig:${cluster.region}:${cluster.account}:` +
    `application/${ids.applicationId}/environment/${ids.environmentId}/configuration/${ids.configurationProfileId}`
  );
}

/** What the workload's own role needs to read this profile through the data plane (agent or init container). */
export function bindingReadStatements(cluster: ClusterConfig, spec: AppConfigBindingSpec): PolicyStatement[] {
  const ids = requireIds(spec, 'the workload read policy');
  return [
    {
      sid: 'ReadAppConfigProfile',
      actions: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
      resources: [configurationArn(cluster, ids)],
    },
  ];
}
