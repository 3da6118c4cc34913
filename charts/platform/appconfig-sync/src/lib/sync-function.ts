import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { type ClusterConfig, lambdaCode, LAMBDA_CODE_SIGNING_CONFIG } from '@flotilla/config';
import { IDENTITY_NAMESPACE, RemovalPolicy, ackDeletionPolicy, partitionOf, roleArn } from '@flotilla/constructs';
import { policyDocumentJson, trustPolicyJson, type PolicyStatement } from '@flotilla/model';
import * as ackIam from '@flotilla/k8s-apis/ack-iam';
import * as ackLambda from '@flotilla/k8s-apis/ack-lambda';
import { readArtifact, readSignedArtifacts, type LambdaArtifact, type SignedLambdaArtifacts } from '@flotilla/appconfig-contract/artifact';
import { AppConfigBindingError, bindingHandlerStatements, bindingNames, SYNC_ALIAS_NAME, SYNC_FUNCTION_SUFFIX, syncFunctionName, type AppConfigBindingSpec } from './binding-spec';

/** IAM's limit on the total size of a role's inline policies (characters, whitespace excluded). */
export const ROLE_INLINE_POLICY_LIMIT = 10_240;

const DLQ_ARN = /^arn:aws[a-z-]*:(sqs|sns):[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/;

export interface AppConfigSyncFunctionProps {
  readonly cluster: ClusterConfig;
  /** Every binding of the cluster; those with `ids` get an inline policy and an invoke permission. */
  readonly bindings: readonly AppConfigBindingSpec[];
  /**
   * SQS queue or SNS topic ARN for events the function still fails on after Lambda's asynchronous
   * retries (the Function's `deadLetterConfig`; no ACK controller for SQS/SNS runs here, so the
   * queue comes from the account baseline). The role gets `sqs:SendMessage` / `sns:Publish` on it.
   */
  readonly deadLetterTargetArn: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 'arm64' */
  readonly architecture?: 'arm64' | 'x86_64';
  /** Namespace of the ACK objects. @default IDENTITY_NAMESPACE ('ack-system') */
  readonly namespace?: string;
  /** What deleting the ACK Role object does to the IAM role. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default readArtifact() (the committed `apps/appconfig-sync/artifact.json`) */
  readonly artifact?: LambdaArtifact;
  /**
   * The signed copies of the zip per cluster. The Function deploys this cluster's signed copy (`signed/<zip>`, its
   * digest as `code.sha256`) when the record is of `artifact`'s build; otherwise the unsigned zip, which a
   * CodeSigningConfig with `Enforce` rejects (`flotilla validate` reports it: lambda/unsigned-package).
   * @default readSignedArtifacts() (the committed `libs/appconfig-contract/artifact.signed.json`)
   */
  readonly signed?: SignedLambdaArtifacts;
}

function inlinePolicy(statements: readonly PolicyStatement[]): string {
  return policyDocumentJson(statements, { alwaysLists: true });
}

/**
 * The platform Lambda of the chain, once per cluster (all ACK, in `ack-system`):
 * - IAM `Role` `<eks>-appconfig-sync`: trust `lambda.amazonaws.com`, `AWSLambdaBasicExecutionRole`,
 *   one inline policy per wired binding (`appconfig-<ns>-<name>`, exactly `handlerPolicyStatements`
 *   for that profile and secret) and `dead-letter` for the DLQ.
 * - Lambda `Function` `<eks>-appconfig-sync` from the cluster's signed copy of the artifact in
 *   `cluster.artifacts.bucket` (`packageType: Zip`; `code.sha256` is that package's, which ACK compares with the
 *   deployed CodeSha256 to notice a new build), with `deadLetterConfig`.
 * - `Alias` `live` on `$LATEST`: the rules' target, carrying one `lambda:InvokeFunction`
 *   permission for `events.amazonaws.com` per wired binding, scoped to that rule's ARN.
 */
export class AppConfigSyncFunction extends Construct {
  readonly functionName: string;
  readonly roleName: string;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: AppConfigSyncFunctionProps) {
    super(scope, id);
    const { cluster } = props;
    const artifact = props.artifact ?? readArtifact();
    const bucket = cluster.artifacts?.bucket;
    if (!bucket) {
      throw new AppConfigBindingError(`cluster '${cluster.name}' has no 'artifacts.bucket'; set ClusterConfig.artifacts to the bucket CI uploads ${artifact.fileName} to`);
    }
    if (!DLQ_ARN.test(props.deadLetterTargetArn)) {
      throw new AppConfigBindingError(`'deadLetterTargetArn' ('${props.deadLetterTargetArn}') must be an SQS queue or SNS topic ARN, e.g. 'arn:aws:sqs:${cluster.region}:${cluster.account}:appconfig-sync-dlq'`);
    }
    const memorySize = props.memorySize ?? 256;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
      throw new AppConfigBindingError(`'memorySize' (${memorySize}) must be a whole number of MB from 128 to 10240`);
    }
    const timeoutSeconds = (props.timeout ?? Duration.seconds(30)).toSeconds();
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900) {
      throw new AppConfigBindingError(`'timeout' (${timeoutSeconds} s) must be 1 to 900 whole seconds`);
    }
    const namespace = props.namespace ?? IDENTITY_NAMESPACE;
    const partition = partitionOf(cluster.region);
    this.functionName = syncFunctionName(cluster);
    this.roleName = this.functionName;
    this.roleArn = roleArn(cluster, this.roleName);

    const seen = new Set<string>();
    const applications = new Map<string, string>();
    const wired = props.bindings.filter((spec) => {
      const key = `${spec.team.namespace}/${spec.name}`;
      if (seen.has(key)) throw new AppConfigBindingError(`appconfig binding '${key}' is listed twice; give every binding of a team its own name`);
      seen.add(key);
      // Each binding creates its application (and associates the extension with it).
      const owner = applications.get(spec.application);
      if (owner) {
        throw new AppConfigBindingError(`appconfig bindings '${owner}' and '${key}' both name AppConfig application '${spec.application}'; each binding owns its application, so give them different application names`);
      }
      applications.set(spec.application, key);
      bindingNames(cluster, spec); // validates every binding, wired or not
      return spec.ids !== undefined;
    });

    const dlqService = props.deadLetterTargetArn.split(':')[2];
    const inlinePolicies: Record<string, string> = {
      'dead-letter': policyDocumentJson([
        { sid: 'SendFailedEvents', actions: [dlqService === 'sqs' ? 'sqs:SendMessage' : 'sns:Publish'], resources: [props.deadLetterTargetArn] },
      ]),
    };
    for (const spec of wired) inlinePolicies[bindingNames(cluster, spec).policyName] = inlinePolicy(bindingHandlerStatements(cluster, spec));
    const size = Object.values(inlinePolicies).reduce((sum, doc) => sum + doc.length, 0);
    if (size > ROLE_INLINE_POLICY_LIMIT) {
      throw new AppConfigBindingError(
        `the inline policies of role '${this.roleName}' total ${size} characters for ${wired.length} bindings; IAM allows ${ROLE_INLINE_POLICY_LIMIT} per role. Run a second appconfig-sync unit for some bindings or merge profiles`,
      );
    }

    new ackIam.Role(this, 'Role', {
      metadata: { name: SYNC_FUNCTION_SUFFIX, namespace, annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN) },
      spec: {
        name: this.roleName,
        description: `Execution role of ${this.functionName} (AppConfig version hash writer), managed by Flotilla`,
        assumeRolePolicyDocument: trustPolicyJson([{ principal: { Service: 'lambda.amazonaws.com' }, actions: ['sts:AssumeRole'] }]),
        policies: [`arn:${partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`],
        inlinePolicies,
        tags: [{ key: 'flotilla.dev/cluster', value: cluster.name }],
      },
    });

    new ackLambda.Function(this, 'Function', {
      metadata: { name: SYNC_FUNCTION_SUFFIX, namespace },
      spec: {
        name: this.functionName,
        description: 'Writes the hash of each deployed AppConfig configuration to the binding secret (Flotilla)',
        packageType: 'Zip', // ACK compares code.sha256 only when set explicitly
        code: { s3Bucket: bucket, ...lambdaCode(cluster, artifact, props.signed ?? readSignedArtifacts()) },
        runtime: artifact.runtime,
        handler: artifact.handler,
        architectures: [props.architecture ?? 'arm64'],
        memorySize,
        timeout: timeoutSeconds,
        roleRef: { from: { name: SYNC_FUNCTION_SUFFIX } },
        // Lambda rejects a package not signed by the fleet's Lambda profile (unit signing).
        codeSigningConfigRef: { from: { name: LAMBDA_CODE_SIGNING_CONFIG } },
        // EventBridge invokes asynchronously: errors go through Lambda's retries, then here.
        deadLetterConfig: { targetArn: props.deadLetterTargetArn },
        tags: { 'flotilla.dev/cluster': cluster.name },
      },
    });

    new ackLambda.Alias(this, 'Alias', {
      metadata: { name: `${SYNC_FUNCTION_SUFFIX}-${SYNC_ALIAS_NAME}`, namespace },
      spec: {
        name: SYNC_ALIAS_NAME,
        functionRef: { from: { name: SYNC_FUNCTION_SUFFIX } },
        functionVersion: '$LATEST',
        description: 'Target of the AppConfig binding rules; carries their invoke permissions',
        ...(wired.length > 0
          ? {
              permissions: wired.map((spec) => {
                const names = bindingNames(cluster, spec);
                return {
                  statementId: names.permissionStatementId,
                  action: 'lambda:InvokeFunction',
                  principal: 'events.amazonaws.com',
                  sourceArn: names.ruleArn,
                  sourceAccount: cluster.account,
                };
              }),
            }
          : {}),
      },
    });
  }
}
