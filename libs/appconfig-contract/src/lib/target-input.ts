import { describeValue } from './describe-value';
/**
 * The payload an EventBridge rule target hands to the Lambda: the secret to write (chosen per binding) next to the
 * untouched AppConfig event. The rule target renders it with an input transformer, because a constant `Input`
 * would replace the event instead of carrying it.
 */

/** Marks the payload shape so a rule wired without {@link targetInputFor} is rejected with a clear reason. */
export const TARGET_INPUT_SCHEMA = 'flotilla.appconfig-sync/v1';

/** What the Lambda receives from a rule target built by {@link targetInputFor}. */
export interface SyncTargetInput {
  readonly schema: typeof TARGET_INPUT_SCHEMA;
  /** Name or ARN of the Secrets Manager secret that receives `{"appconfig-version-hash": "<hash>"}`. */
  readonly secretId: string;
  /** ARN of the rule that forwarded the event (EventBridge fills it in); logged, not used for decisions. */
  readonly rule?: string;
  /** Present (false) only when the binding opted out of restarts on rollback; see {@link TargetInputOptions}. */
  readonly restartOnRollback?: boolean;
  /** The original EventBridge event, `detail` included. */
  readonly event: unknown;
}

export interface TargetInputOptions {
  /** Name or ARN of the secret this binding writes; one secret per (application, environment, profile) or workload. */
  readonly secretId: string;
  /**
   * Whether a rollback restarts the workload even when the restored configuration equals the last written one.
   * Pods that started while the rolled-back deployment was deploying or baking read the bad version from AppConfig;
   * only a restart brings them back. The Lambda then writes a rollback-specific hash (see `rollbackHash`).
   *
   * @default true
   */
  readonly restartOnRollback?: boolean;
}

/**
 * EventBridge `InputTransformer` in the field spelling of the ACK `Rule` CRD (`spec.targets[].inputTransformer`).
 * Crossplane/CloudFormation use the same two fields (`inputPaths`/`InputPathsMap`, `inputTemplate`/`InputTemplate`).
 */
export interface RuleTargetInputTransformer {
  /**
   * JSONPath variables. Left out: the template only uses the predefined `aws.events.*` variables, and an empty map
   * would differ from what AWS reports back (none), which controllers may treat as drift.
   */
  readonly inputPathsMap?: Readonly<Record<string, string>>;
  readonly inputTemplate: string;
}

export interface RuleTargetInput {
  readonly inputTransformer: RuleTargetInputTransformer;
}

/** Secret names use `A-Z a-z 0-9 / _ + = . @ -`; ARNs add `:`. `<`, `>`, `"` and `\` would break the template. */
const SECRET_ID_PATTERN = /^[A-Za-z0-9/_+=.@:-]+$/;
const SECRET_NAME_MAX = 512;
const SECRET_ARN_MAX = 2048;
/** EventBridge `InputTemplate` limit. */
const INPUT_TEMPLATE_MAX = 8192;

/** Returns why `secretId` cannot be used, or undefined when it is fine. Shared by the builder and the handler. */
export function secretIdProblem(secretId: unknown): string | undefined {
  if (typeof secretId !== 'string' || secretId.length === 0) {
    return `secretId must be a non-empty string (a Secrets Manager secret name or ARN), got ${describeValue(secretId)}`;
  }
  const max = secretId.startsWith('arn:') ? SECRET_ARN_MAX : SECRET_NAME_MAX;
  if (secretId.length > max) {
    return `secretId must be at most ${max} characters, got ${secretId.length} characters`;
  }
  if (!SECRET_ID_PATTERN.test(secretId)) {
    return `secretId may only contain letters, digits and / _ + = . @ - : (a secret name or ARN), got ${JSON.stringify(secretId)}`;
  }
  return undefined;
}

/**
 * Builds the rule target input for one binding: the secret id is a constant, the event is passed whole with the
 * predefined `<aws.events.event.json>` variable (the full event, `detail` included), the rule ARN with
 * `<aws.events.rule-arn>`.
 *
 * @example
 *   targets: [{ id: 'appconfig-sync', arn: functionAliasArn, ...targetInputFor({ secretId: 'flotilla/shop/prod/web' }) }]
 */
export function targetInputFor(options: TargetInputOptions): RuleTargetInput {
  const problem = secretIdProblem(options.secretId);
  if (problem) throw new Error(`targetInputFor: ${problem}; pass the name or ARN of the secret this binding writes`);
  // The constants are JSON-encoded; the two variables are placed where EventBridge expects them: the rule ARN inside
  // quotes (a string), the event JSON bare (it is inserted unescaped and only valid as a JSON value).
  const inputTemplate =
    `{"schema":${JSON.stringify(TARGET_INPUT_SCHEMA)},` +
    `"secretId":${JSON.stringify(options.secretId)},` +
    `"rule":"<aws.events.rule-arn>",` +
    (options.restartOnRollback === false ? `"restartOnRollback":false,` : '') +
    `"event":<aws.events.event.json>}`;
  if (inputTemplate.length > INPUT_TEMPLATE_MAX) {
    throw new Error(`targetInputFor: the input template is ${inputTemplate.length} characters, EventBridge allows ${INPUT_TEMPLATE_MAX}`);
  }
  return { inputTransformer: { inputTemplate } };
}

export interface EventPatternOptions {
  readonly applicationId: string;
  readonly environmentId: string;
  readonly configurationProfileId: string;
}

/** AppConfig resource IDs (application, environment, profile). */
const APPCONFIG_ID = /^[a-z0-9]{4,7}$/;

/**
 * The EventBridge rule pattern for one profile, as the JSON string ACK `Rule.spec.eventPattern` expects. It matches
 * only the event types the handler acts on (complete and every `OnDeploymentRoll…` spelling), so deployment start,
 * step and bake events never invoke the function. The rule must live on the `default` bus.
 */
export function eventPatternFor(options: EventPatternOptions): string {
  for (const key of ['applicationId', 'environmentId', 'configurationProfileId'] as const) {
    if (!APPCONFIG_ID.test(options[key])) {
      throw new Error(`eventPatternFor: ${key} must be an AppConfig ID (4-7 lowercase letters or digits), got ${describeValue(options[key])}`);
    }
  }
  return JSON.stringify({
    source: ['aws.appconfig'],
    'detail-type': [{ prefix: 'On Deployment' }],
    detail: {
      Type: ['OnDeploymentComplete', { prefix: 'OnDeploymentRoll' }],
      Application: { Id: [options.applicationId] },
      Environment: { Id: [options.environmentId] },
      ConfigurationProfile: { Id: [options.configurationProfileId] },
    },
  });
}
