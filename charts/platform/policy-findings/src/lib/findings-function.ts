import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { type ClusterConfig, lambdaCode, LAMBDA_CODE_SIGNING_CONFIG } from '@flotilla/config';
import { ackDeletionPolicy, clusterRoleName, eksClusterNameOf, IDENTITY_NAMESPACE, partitionOf, RemovalPolicy, roleArn } from '@flotilla/constructs';
import { policyDocumentJson, trustPolicyJson } from '@flotilla/model';
import * as ackEks from '@flotilla/k8s-apis/ack-eks';
import * as ackEvents from '@flotilla/k8s-apis/ack-eventbridge';
import * as ackIam from '@flotilla/k8s-apis/ack-iam';
import * as ackLambda from '@flotilla/k8s-apis/ack-lambda';
import { CONFIG_ENV, CONFIG_SCHEMA, findingsPolicyStatements, type PolicyFindingsConfig } from '@flotilla/policy-findings-contract';
import { readArtifact, readSignedArtifacts, type LambdaArtifact, type SignedLambdaArtifacts } from '@flotilla/policy-findings-contract/artifact';
import { FINDINGS_READER_GROUP } from './constraint-reader-rbac';

export const FINDINGS_SUFFIX = 'policy-findings';
export const FINDINGS_ALIAS = 'live';
/** The schedule of the seed design: Gatekeeper audits every 60 s by default, Security Hub gets a sync every 10 min. */
export const DEFAULT_SCHEDULE = 'rate(10 minutes)';

export interface PolicyFindingsFunctionProps {
  readonly cluster: ClusterConfig;
  /** EventBridge schedule expression. @default 'rate(10 minutes)' */
  readonly schedule?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.minutes(2) */
  readonly timeout?: Duration;
  /** @default 'arm64' */
  readonly architecture?: 'arm64' | 'x86_64';
  /** What deleting the ACK Role and AccessEntry objects does in AWS. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default readArtifact() (the committed `libs/policy-findings-contract/artifact.json`) */
  readonly artifact?: LambdaArtifact;
  /**
   * The signed copies of the zip per cluster. The Function deploys this cluster's signed copy (`signed/<zip>`, its
   * digest as `code.sha256`) when the record is of `artifact`'s build; otherwise the unsigned zip, which a
   * CodeSigningConfig with `Enforce` rejects (`flotilla validate` reports it: lambda/unsigned-package).
   * @default readSignedArtifacts() (the committed `libs/policy-findings-contract/artifact.signed.json`)
   */
  readonly signed?: SignedLambdaArtifacts;
}

/** `<eks cluster>-policy-findings`: the function, its role and its rule share the name. */
export function findingsFunctionName(cluster: ClusterConfig): string {
  return clusterRoleName(cluster, FINDINGS_SUFFIX);
}

/** The configuration the function reads from POLICY_FINDINGS_CONFIG: this cluster, endpoint via DescribeCluster. */
export function findingsConfig(cluster: ClusterConfig): PolicyFindingsConfig {
  return { schema: CONFIG_SCHEMA, account: cluster.account, region: cluster.region, clusters: [{ name: cluster.name, eksClusterName: eksClusterNameOf(cluster) }] };
}

/**
 * The policy-findings Lambda of one cluster, all ACK objects in `ack-system`:
 * - IAM `Role` `<eks>-policy-findings`: trust `lambda.amazonaws.com`, one inline policy with exactly
 *   `findingsPolicyStatements` (import into the default product, GetFindings, DescribeCluster on this cluster,
 *   its own log group);
 * - EKS `AccessEntry` mapping the role to the read-only group {@link FINDINGS_READER_GROUP};
 * - Lambda `Function` from the cluster's signed copy of the artifact (its `code.sha256`, `packageType: Zip`), reserved concurrency 1 so two
 *   runs never archive each other's findings; `Alias` `live` with the rule's invoke permission;
 * - EventBridge `Rule` with the schedule, targeting the alias.
 */
export class PolicyFindingsFunction extends Construct {
  readonly functionName: string;
  readonly roleArn: string;
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: PolicyFindingsFunctionProps) {
    super(scope, id);
    const { cluster } = props;
    const artifact = props.artifact ?? readArtifact();
    const bucket = cluster.artifacts?.bucket;
    if (!bucket) throw new Error(`policy-findings: cluster '${cluster.name}' has no 'artifacts.bucket'; set ClusterConfig.artifacts to the bucket CI uploads ${artifact.fileName} to`);
    const schedule = props.schedule ?? DEFAULT_SCHEDULE;
    if (!/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/.test(schedule)) {
      throw new Error(`policy-findings: 'schedule' ('${schedule}') is not an EventBridge schedule expression; use e.g. 'rate(10 minutes)' or 'cron(0/10 * * * ? *)'`);
    }
    const memorySize = props.memorySize ?? 512;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) throw new Error(`policy-findings: 'memorySize' (${memorySize}) must be a whole number of MB from 128 to 10240`);
    const timeoutSeconds = (props.timeout ?? Duration.minutes(2)).toSeconds();
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 30 || timeoutSeconds > 900) throw new Error(`policy-findings: 'timeout' (${timeoutSeconds} s) must be 30 to 900 whole seconds`);
    const namespace = IDENTITY_NAMESPACE;
    const partition = partitionOf(cluster.region);
    const removal = ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.functionName = findingsFunctionName(cluster);
    this.roleArn = roleArn(cluster, this.functionName);
    this.ruleArn = `arn:${partition}:events:${cluster.region}:${cluster.account}:rule/${this.functionName}`;
    const aliasArn = `arn:${partition}:lambda:${cluster.region}:${cluster.account}:function:${this.functionName}:${FINDINGS_ALIAS}`;
    const tags = { 'flotilla.dev/cluster': cluster.name };

    new ackIam.Role(this, 'Role', {
      metadata: { name: FINDINGS_SUFFIX, namespace, annotations: removal },
      spec: {
        name: this.functionName,
        description: `Execution role of ${this.functionName} (Gatekeeper audit results to Security Hub), managed by Flotilla`,
        assumeRolePolicyDocument: trustPolicyJson([{ principal: { Service: 'lambda.amazonaws.com' }, actions: ['sts:AssumeRole'] }]),
        inlinePolicies: {
          [FINDINGS_SUFFIX]: policyDocumentJson(
            findingsPolicyStatements({ account: cluster.account, region: cluster.region, functionName: this.functionName, eksClusterNames: [eksClusterNameOf(cluster)] }),
            { alwaysLists: true },
          ),
        },
        tags: [{ key: 'flotilla.dev/cluster', value: cluster.name }],
      },
    });

    // The role reads constraints through the Kubernetes API as a member of the read-only group.
    new ackEks.AccessEntry(this, 'AccessEntry', {
      metadata: { name: FINDINGS_SUFFIX, namespace, annotations: removal },
      spec: { clusterName: eksClusterNameOf(cluster), principalArn: this.roleArn, type: 'STANDARD', kubernetesGroups: [FINDINGS_READER_GROUP], tags },
    });

    new ackLambda.Function(this, 'Function', {
      metadata: { name: FINDINGS_SUFFIX, namespace },
      spec: {
        name: this.functionName,
        description: 'Imports Gatekeeper audit violations into Security Hub as ASFF findings and archives fixed ones (Flotilla)',
        packageType: 'Zip', // ACK compares code.sha256 only when set explicitly
        code: { s3Bucket: bucket, ...lambdaCode(cluster, artifact, props.signed ?? readSignedArtifacts()) },
        runtime: artifact.runtime,
        handler: artifact.handler,
        architectures: [props.architecture ?? 'arm64'],
        memorySize,
        timeout: timeoutSeconds,
        // One run at a time: a slow run and the next schedule must not archive each other's findings.
        reservedConcurrentExecutions: 1,
        environment: { variables: { [CONFIG_ENV]: JSON.stringify(findingsConfig(cluster)) } },
        roleRef: { from: { name: FINDINGS_SUFFIX } },
        // Lambda rejects a package not signed by the fleet's Lambda profile (unit signing).
        codeSigningConfigRef: { from: { name: LAMBDA_CODE_SIGNING_CONFIG } },
        tags,
      },
    });

    new ackLambda.Alias(this, 'Alias', {
      metadata: { name: `${FINDINGS_SUFFIX}-${FINDINGS_ALIAS}`, namespace },
      spec: {
        name: FINDINGS_ALIAS,
        functionRef: { from: { name: FINDINGS_SUFFIX } },
        functionVersion: '$LATEST',
        description: 'Target of the policy-findings schedule; carries its invoke permission',
        permissions: [
          { statementId: 'events-schedule', action: 'lambda:InvokeFunction', principal: 'events.amazonaws.com', sourceArn: this.ruleArn, sourceAccount: cluster.account },
        ],
      },
    });

    new ackEvents.Rule(this, 'Rule', {
      metadata: { name: FINDINGS_SUFFIX, namespace },
      spec: {
        name: this.functionName,
        description: `Runs ${this.functionName}: Gatekeeper audit results to Security Hub`,
        scheduleExpression: schedule,
        state: 'ENABLED',
        targets: [{ id: FINDINGS_SUFFIX, arn: aliasArn }],
        tags: [{ key: 'flotilla.dev/cluster', value: cluster.name }],
      },
    });
  }
}
