import { Construct } from 'constructs';
import { alarmTopicArn, type ClusterConfig, type Environment } from '@flotilla/config';
import { IDENTITY_NAMESPACE, RemovalPolicy, ackDeletionPolicy, eksClusterNameOf, partitionOf, roleArn } from '@flotilla/constructs';
import { policyDocumentJson, trustPolicyJson, validateStatement, type PolicyStatement } from '@flotilla/model';
import * as ackCloudwatch from '@flotilla/k8s-apis/ack-cloudwatch';
import * as ackIam from '@flotilla/k8s-apis/ack-iam';
import { bindingNames, monitorRoleName, type AppConfigBindingSpec, type AppConfigIds } from './binding-spec';

/**
 * Whether a deployment to an environment needs the approver role: editors then only write
 * configuration versions, and a second person starts the deployment. Prod only by default.
 */
export const APPROVAL_REQUIRED: Readonly<Record<Environment, boolean>> = { dev: false, staging: false, prod: true };

/** ARN of a CloudWatch alarm of the cluster's account and region. */
export function alarmArn(cluster: ClusterConfig, name: string): string {
  return `arn:${partitionOf(cluster.region)}:cloudwatch:${cluster.region}:${cluster.account}:alarm:${name}`;
}

/**
 * The role AppConfig assumes to read its environments' monitor alarms (`<eks>-appconfig-monitor`):
 * trust `appconfig.amazonaws.com` from this account only, `cloudwatch:DescribeAlarms` and nothing
 * else. DescribeAlarms is granted on `*` as the AppConfig user guide's monitor role does (a list
 * call: AppConfig reads the alarms by name).
 */
export class AppConfigMonitorRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: { readonly cluster: ClusterConfig; readonly namespace?: string; readonly removalPolicy?: RemovalPolicy }) {
    super(scope, id);
    const { cluster } = props;
    const name = monitorRoleName(cluster);
    this.roleArn = roleArn(cluster, name);
    const statements: PolicyStatement[] = [{ sid: 'ReadMonitorAlarms', actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] }];
    statements.forEach((statement) => validateStatement(statement, `role '${name}'`));
    new ackIam.Role(this, 'Resource', {
      metadata: { name: 'appconfig-monitor', namespace: props.namespace ?? IDENTITY_NAMESPACE, annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN) },
      spec: {
        name,
        description: `AppConfig reads the environment monitors' alarms of cluster ${eksClusterNameOf(cluster)} (rollback), managed by Flotilla`,
        assumeRolePolicyDocument: trustPolicyJson([
          { principal: { Service: 'appconfig.amazonaws.com' }, actions: ['sts:AssumeRole'], conditions: { StringEquals: { 'aws:SourceAccount': cluster.account } } },
        ]),
        inlinePolicies: { 'describe-alarms': policyDocumentJson(statements) },
        tags: [{ key: 'flotilla.dev/cluster', value: cluster.name }],
      },
    });
  }
}

/**
 * The bound workload's restart alarm, the environment's monitor: new container restarts of its pods
 * (Container Insights `pod_number_of_container_restarts`, a per-pod counter; `DIFF` turns it into
 * restarts per minute) reach the threshold. Needs Container Insights on the cluster (the
 * amazon-cloudwatch-observability add-on); without its metrics the alarm stays OK
 * (`treatMissingData: notBreaching`), so a rollout is never blocked by a missing metric.
 */
export class WorkloadRestartAlarm extends Construct {
  readonly alarmArn: string;

  constructor(scope: Construct, id: string, props: { readonly cluster: ClusterConfig; readonly spec: AppConfigBindingSpec; readonly namespace?: string }) {
    super(scope, id);
    const { cluster, spec } = props;
    const monitor = spec.monitor === false ? undefined : (spec.monitor ?? {});
    const names = bindingNames(cluster, spec);
    this.alarmArn = alarmArn(cluster, names.monitorAlarmName);
    const workload = monitor?.workload ?? spec.name;
    const topic = alarmTopicArn(cluster);
    new ackCloudwatch.MetricAlarm(this, 'Resource', {
      metadata: { name: `${names.objectName}-restarts`, namespace: props.namespace ?? IDENTITY_NAMESPACE },
      spec: {
        name: names.monitorAlarmName,
        alarmDescription: `Containers of ${spec.team.namespace}/${workload} restart: AppConfig rolls back ${spec.application}/${spec.environment}/${spec.profile} (managed by Flotilla)`,
        metrics: [
          {
            id: 'restarts',
            metricStat: {
              metric: {
                namespace: 'ContainerInsights',
                metricName: 'pod_number_of_container_restarts',
                dimensions: [
                  { name: 'ClusterName', value: eksClusterNameOf(cluster) },
                  { name: 'Namespace', value: spec.team.namespace },
                  { name: 'PodName', value: workload },
                ],
              },
              period: 60,
              stat: 'Maximum',
            },
            returnData: false,
          },
          { id: 'new_restarts', expression: 'DIFF(restarts)', label: 'container restarts per minute', returnData: true },
        ],
        evaluationPeriods: 1,
        threshold: monitor?.restartThreshold ?? 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        actionsEnabled: true,
        alarmActions: [topic],
        tags: [
          { key: 'flotilla.dev/cluster', value: cluster.name },
          { key: 'team', value: spec.team.name },
        ],
      },
    });
  }
}

/** ARNs of a binding's AppConfig resources (formats of the IAM Service Authorization Reference for AppConfig). */
function appconfigArns(cluster: ClusterConfig, ids: AppConfigIds) {
  const prefix = `arn:${partitionOf(cluster.region)}:appconfig:${cluster.region}:${cluster.account}:`;
  const application = `${prefix}application/${ids.applicationId}`;
  return {
    application,
    environment: `${application}/environment/${ids.environmentId}`,
    profile: `${application}/configurationprofile/${ids.configurationProfileId}`,
    strategy: `${prefix}deploymentstrategy/${ids.deploymentStrategyId ?? '*'}`,
  };
}

/**
 * The configuration editors' IAM roles of one binding (the seed's "different team members"):
 * - `<eks>-appconfig-<ns>-<name>-editor`: read the application, environment and profile, write
 *   hosted configuration versions of this profile, follow deployments; and, where the environment
 *   needs no approval, start and stop deployments of this profile in this environment with the
 *   binding's strategy only;
 * - where approval is required (`APPROVAL_REQUIRED`, prod): `<eks>-appconfig-<ns>-<name>-approver`,
 *   the only role that starts or stops deployments there.
 * Both are assumable by the binding's editors (`editors.principalArns`, default: principals of the
 * account tagged `team=<team>`).
 */
export class BindingEditorRoles extends Construct {
  readonly editorRoleArn: string;
  readonly approverRoleArn?: string;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly cluster: ClusterConfig; readonly spec: AppConfigBindingSpec; readonly ids: AppConfigIds; readonly approvalRequired: boolean; readonly namespace?: string; readonly removalPolicy?: RemovalPolicy },
  ) {
    super(scope, id);
    const { cluster, spec, ids } = props;
    const names = bindingNames(cluster, spec);
    const arns = appconfigArns(cluster, ids);
    const principals = spec.editors?.principalArns;
    const trust = trustPolicyJson([
      principals && principals.length > 0
        ? { principal: { AWS: [...principals] }, actions: ['sts:AssumeRole'] }
        : {
            principal: { AWS: `arn:${partitionOf(cluster.region)}:iam::${cluster.account}:root` },
            actions: ['sts:AssumeRole'],
            conditions: { StringEquals: { 'aws:PrincipalTag/team': spec.team.name } },
          },
    ]);
    const read: PolicyStatement = {
      sid: 'ReadBinding',
      actions: ['appconfig:GetApplication', 'appconfig:GetEnvironment', 'appconfig:GetConfigurationProfile', 'appconfig:ListHostedConfigurationVersions', 'appconfig:ListDeployments'],
      resources: [arns.application, arns.environment, arns.profile],
    };
    const follow: PolicyStatement = {
      sid: 'FollowDeployments',
      actions: ['appconfig:GetDeployment', 'appconfig:GetHostedConfigurationVersion'],
      resources: [`${arns.environment}/deployment/*`, `${arns.profile}/hostedconfigurationversion/*`],
    };
    const deploy: PolicyStatement = {
      sid: 'DeployThisProfileToThisEnvironment',
      actions: ['appconfig:StartDeployment', 'appconfig:StopDeployment'],
      resources: [arns.application, arns.environment, arns.profile, arns.strategy, `${arns.environment}/deployment/*`],
    };
    const edit: PolicyStatement[] = [
      read,
      follow,
      { sid: 'WriteVersions', actions: ['appconfig:CreateHostedConfigurationVersion'], resources: [arns.profile] },
      ...(props.approvalRequired ? [] : [deploy]),
    ];
    const role = (name: string, k8sName: string, statements: PolicyStatement[], description: string) => {
      statements.forEach((statement) => validateStatement(statement, `role '${name}'`));
      new ackIam.Role(this, k8sName, {
        metadata: { name: `${names.objectName}-${k8sName}`, namespace: props.namespace ?? IDENTITY_NAMESPACE, annotations: ackDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN) },
        spec: {
          name,
          description,
          assumeRolePolicyDocument: trust,
          inlinePolicies: { [k8sName]: policyDocumentJson(statements) },
          maxSessionDuration: 3600,
          tags: [
            { key: 'flotilla.dev/cluster', value: cluster.name },
            { key: 'team', value: spec.team.name },
          ],
        },
      });
      return roleArn(cluster, name);
    };
    const what = `${spec.application}/${spec.environment}/${spec.profile}`;
    this.editorRoleArn = role(
      names.editorRoleName,
      'editor',
      edit,
      `Edits AppConfig ${what}${props.approvalRequired ? '; deployments need the approver role' : ' and deploys it with its strategy'}, managed by Flotilla`,
    );
    if (props.approvalRequired) {
      this.approverRoleArn = role(names.approverRoleName, 'approver', [read, follow, deploy], `Starts and stops deployments of AppConfig ${what} with its strategy, managed by Flotilla`);
    }
  }
}
