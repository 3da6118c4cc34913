import { describeValue } from './describe-value';
import { secretIdProblem, TARGET_INPUT_SCHEMA } from './target-input';

/**
 * The `detail` of an AppConfig deployment event from the "deployment events to Amazon EventBridge" extension.
 * IDs are nested objects; `DeploymentNumber` is a number and `ConfigurationVersion` a string.
 */
export interface AppConfigDeploymentDetail {
  readonly InvocationId?: string;
  readonly Parameters?: Record<string, unknown>;
  /** `OnDeploymentComplete`, `OnDeploymentStart`, and a rollback type whose exact spelling is unverified. */
  readonly Type: string;
  readonly Application: { readonly Id: string; readonly Name?: string };
  readonly Environment: { readonly Id: string; readonly Name?: string };
  readonly ConfigurationProfile: { readonly Id: string; readonly Name?: string };
  readonly DeploymentNumber: number;
  /** For hosted profiles, the hosted version number as a string. */
  readonly ConfigurationVersion: string;
}

/** The EventBridge envelope around {@link AppConfigDeploymentDetail}. */
export interface AppConfigDeploymentEvent {
  readonly version?: string;
  readonly id?: string;
  readonly 'detail-type'?: string;
  readonly source: 'aws.appconfig';
  readonly account?: string;
  readonly time?: string;
  readonly region?: string;
  /** `resources[0]` is the extension association ARN, not the profile ARN. */
  readonly resources?: readonly string[];
  readonly detail: AppConfigDeploymentDetail;
}

/** What the handler does with an event type. */
export type DeploymentEventKind = 'complete' | 'rollback' | 'ignored';

/** The identity of one deployment event: logged on every line and hashed into the secret version token. */
export interface DeploymentIdentity {
  readonly applicationId: string;
  readonly environmentId: string;
  readonly configurationProfileId: string;
  readonly deploymentNumber: number;
  /** `detail.Type`, e.g. `OnDeploymentComplete`. */
  readonly eventType: string;
  readonly configurationVersion: string;
}

/** A validated invocation: which secret to write and which deployment it is about. */
export interface SyncRequest {
  readonly secretId: string;
  readonly rule?: string;
  /** EventBridge event id, for log correlation. */
  readonly eventId?: string;
  readonly kind: DeploymentEventKind;
  /** From the target input; true unless the binding opted out. */
  readonly restartOnRollback: boolean;
  readonly identity: DeploymentIdentity;
}

export type ParseResult =
  | { readonly ok: true; readonly request: SyncRequest }
  | { readonly ok: false; readonly reason: string; readonly partial: Partial<DeploymentIdentity> & { secretId?: string } };

/** AppConfig resource IDs (application, environment, profile). */
const APPCONFIG_ID = /^[a-z0-9]{4,7}$/;
const CONFIGURATION_VERSION_MAX = 1024;

/**
 * Classifies `detail.Type`. Only Complete is documented; the rollback spelling is unverified
 * (`OnDeploymentRolledBack` is the action point name), so every `OnDeploymentRoll…` type counts as a rollback.
 */
export function eventKindOf(type: string): DeploymentEventKind {
  if (type === 'OnDeploymentComplete') return 'complete';
  if (type.startsWith('OnDeploymentRoll')) return 'rollback';
  return 'ignored';
}

/**
 * Validates the rule target payload ({@link SyncTargetInput}) and the AppConfig event inside it. Collects every
 * problem so one log line tells the operator all that is wrong with the rule wiring.
 */
export function parseSyncInput(input: unknown): ParseResult {
  const problems: string[] = [];
  const partial: { -readonly [K in keyof DeploymentIdentity]?: DeploymentIdentity[K] } & { secretId?: string } = {};
  if (!isRecord(input)) {
    return { ok: false, reason: `input must be the object rendered by targetInputFor(), got ${describeValue(input)}`, partial };
  }
  if (input.schema !== TARGET_INPUT_SCHEMA) {
    problems.push(
      `schema must be ${JSON.stringify(TARGET_INPUT_SCHEMA)}, got ${describeValue(input.schema)}` +
        (input.schema === undefined && 'detail' in input ? ' (the rule target passes the raw event; render its input with targetInputFor())' : ''),
    );
  }
  const secretProblem = secretIdProblem(input.secretId);
  if (secretProblem) problems.push(secretProblem);
  else partial.secretId = input.secretId as string;
  if (input.rule !== undefined && typeof input.rule !== 'string') problems.push(`rule must be a string, got ${describeValue(input.rule)}`);
  if (input.restartOnRollback !== undefined && typeof input.restartOnRollback !== 'boolean') {
    problems.push(`restartOnRollback must be true or false, got ${describeValue(input.restartOnRollback)}`);
  }

  const event = input.event;
  let detail: Record<string, unknown> | undefined;
  if (!isRecord(event)) {
    problems.push(`event must be the EventBridge event object, got ${describeValue(event)}`);
  } else {
    if (event.source !== 'aws.appconfig') problems.push(`event.source must be "aws.appconfig", got ${describeValue(event.source)}`);
    if (!isRecord(event.detail)) problems.push(`event.detail must be an object, got ${describeValue(event.detail)}`);
    else detail = event.detail;
  }
  if (detail) {
    for (const [field, key] of [
      ['Application', 'applicationId'],
      ['Environment', 'environmentId'],
      ['ConfigurationProfile', 'configurationProfileId'],
    ] as const) {
      const holder = detail[field];
      const id = isRecord(holder) ? holder.Id : undefined;
      if (typeof id === 'string' && APPCONFIG_ID.test(id)) partial[key] = id;
      else problems.push(`event.detail.${field}.Id must be an AppConfig ID (4-7 lowercase letters or digits), got ${describeValue(isRecord(holder) ? id : holder)}`);
    }
    const number = detail.DeploymentNumber;
    if (typeof number === 'number' && Number.isSafeInteger(number) && number >= 1) partial.deploymentNumber = number;
    else problems.push(`event.detail.DeploymentNumber must be a positive integer (a JSON number), got ${describeValue(number)}`);
    const version = detail.ConfigurationVersion;
    if (typeof version === 'string' && version.length > 0 && version.length <= CONFIGURATION_VERSION_MAX) partial.configurationVersion = version;
    else problems.push(`event.detail.ConfigurationVersion must be a non-empty string of at most ${CONFIGURATION_VERSION_MAX} characters, got ${describeValue(version)}`);
    const type = detail.Type;
    if (typeof type === 'string' && /^[A-Za-z]{1,64}$/.test(type)) partial.eventType = type;
    else problems.push(`event.detail.Type must be an event type such as "OnDeploymentComplete", got ${describeValue(type)}`);
  }
  if (problems.length > 0) return { ok: false, reason: problems.join('; '), partial };

  const identity = partial as DeploymentIdentity;
  const ev = event as Record<string, unknown>;
  return {
    ok: true,
    request: {
      secretId: partial.secretId!,
      rule: input.rule as string | undefined,
      eventId: typeof ev.id === 'string' ? ev.id : undefined,
      kind: eventKindOf(identity.eventType),
      restartOnRollback: input.restartOnRollback !== false,
      identity: {
        applicationId: identity.applicationId,
        environmentId: identity.environmentId,
        configurationProfileId: identity.configurationProfileId,
        deploymentNumber: identity.deploymentNumber,
        eventType: identity.eventType,
        configurationVersion: identity.configurationVersion,
      },
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
