import type { Construct } from 'constructs';
import { Duration, type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import type {
  CloudwatchChartValues,
  EksChartValues,
  EventbridgeChartValues,
  IamChartValues,
  LambdaChartValues,
  RdsChartValues,
  S3ChartValues,
  SecretsmanagerChartValues,
  SnsChartValues,
  SqsChartValues,
  PrometheusserviceChartValues,
} from '@flotilla/k8s-apis/helm-values';
import {
  ACK_EKS_UNIT,
  ACK_IAM_UNIT,
  HelmAddon,
  IRSA_ROLE_ANNOTATION,
  IrsaRole,
  PodIdentityRole,
  RemovalPolicy,
  ackChart,
  identityUnit,
  identityUnitName,
  type AckService,
  ControllerNetworkPolicies,
  CLUSTER_TAG_KEY,
} from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';
import { ACK_NAMESPACE, ackIamBootstrap, ackServiceAccount } from './bootstrap';
import { defaultSqsQueueNamePatterns, sqsPermissions } from './sqs-permissions';
import { prometheusServicePermissions } from './prometheus-permissions';
import { cloudwatchPermissions, defaultAlarmNamePatterns, snsPermissions } from './alarm-permissions';
import {
  defaultPassableRoles,
  eksPermissions,
  eventBridgePermissions,
  lambdaPermissions,
  rdsPermissions,
  s3Permissions,
  secretsManagerPermissions,
  type PermissionOptions,
} from './permissions';

export const ACK_PROJECT = 'ack';

/** Controllers that run with Pod Identity roles (iam and eks always run: every identity needs them). */
export const ACK_WORKLOAD_SERVICES = ['rds', 'lambda', 'eventbridge', 'secretsmanager', 's3', 'sqs', 'prometheusservice', 'cloudwatch', 'sns'] as const;
export type AckWorkloadService = (typeof ACK_WORKLOAD_SERVICES)[number];

/** API groups whose CRDs each ACK chart installs (its own group plus the shared `services.k8s.aws`). */
export function ackCrdGroups(service: AckService): string[] {
  return [`${service}.services.k8s.aws`, 'services.k8s.aws'];
}

export interface AckProps {
  /** Workload controllers to run; `iam` and `eks` always run. @default - all of ACK_WORKLOAD_SERVICES */
  readonly services?: readonly AckWorkloadService[];
  /** @default 'info' */
  readonly logLevel?: 'info' | 'debug';
  /** How often controllers re-read AWS to correct drift. @default Duration.hours(10) */
  readonly resyncPeriod?: Duration;
  /**
   * Controller-wide default for AWS resources whose object carries no
   * `services.k8s.aws/deletion-policy` annotation.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly defaultRemovalPolicy?: RemovalPolicy;
  /** Roles the lambda/eventbridge/s3/eks controllers may pass to their service. @default - the cluster's roles, `role/<cluster>-*` */
  readonly passableRoleArnPatterns?: readonly string[];
  /** Buckets the Lambda controller may read function code from. @default - `cluster.artifacts.bucket` when set, else none */
  readonly lambdaCodeBuckets?: readonly string[];
  /**
   * Bucket name patterns the S3 controller may manage, e.g. the tenants' `<team>-*`
   * (`tenantBucketNamePatterns(teams)` of `@flotilla/workloads`).
   *
   * @default ['*'] (bucket ARNs carry no account)
   */
  readonly s3BucketNamePatterns?: readonly string[];
  /**
   * Bucket name patterns whose bucket policy the S3 controller may set (`PutBucketPolicy`,
   * `DeleteBucketPolicy`). Never `*`: a bucket policy can open any bucket of the account to anyone.
   *
   * @default - s3BucketNamePatterns, unless they contain '*' (then none)
   */
  readonly s3BucketPolicyNamePatterns?: readonly string[];
  /** Queue name patterns the SQS controller may manage. @default - the cluster's queues, `<eks cluster name>-*` */
  readonly sqsQueueNamePatterns?: readonly string[];
  /** Alarm name patterns the CloudWatch controller may manage. @default - the cluster's alarms, `<eks cluster name>-*` */
  readonly alarmNamePatterns?: readonly string[];
  /** Topic name patterns the SNS controller may manage. @default - the cluster's topics, `<eks cluster name>-*` */
  readonly topicNamePatterns?: readonly string[];
  /** Extra statements per controller (e.g. KMS keys, RDS enhanced-monitoring roles). @default - none */
  readonly additionalStatements?: Partial<Record<AckService, readonly PolicyStatement[]>>;
}

/**
 * The values this project sets on every ACK controller chart: one set for all of them, so it
 * narrows each chart's values type (generated from its values.schema.json) at once.
 */
export interface AckControllerValues
  extends IamChartValues,
    RdsChartValues,
    LambdaChartValues,
    EventbridgeChartValues,
    SecretsmanagerChartValues,
    EksChartValues,
    S3ChartValues,
    SqsChartValues,
    CloudwatchChartValues,
    SnsChartValues,
    PrometheusserviceChartValues {
  readonly aws: { readonly region: string };
  readonly installScope: 'cluster';
  readonly serviceAccount: { readonly create: boolean; readonly name: string; readonly annotations: Readonly<Record<string, string>> };
  readonly deletionPolicy: 'retain' | 'delete';
  readonly log: { readonly enable_development_logging: boolean; readonly level: 'info' | 'debug' };
  readonly reconcile: { readonly defaultResyncPeriod: number };
  /** Tags on every AWS resource the controller creates: the chart's two plus the owning cluster. */
  readonly resourceTags: readonly string[];
}

/**
 * The ACK controllers, one unit each, in `infra-controllers`:
 *
 * - `ack.iam`: runs as the bootstrap role (`cluster.bootstrap.ackIamControllerRoleArn`, IRSA);
 * - `ack.eks`: its IRSA role is created by the IAM controller (Pod Identity needs this controller);
 * - `ack.identity`: Pod Identity roles of the workload controllers (needs IAM + EKS controllers);
 * - `ack.<service>` for rds, lambda, eventbridge, secretsmanager, s3, sqs, prometheusservice, cloudwatch, sns, after `ack.identity`.
 */
export function ack(props: AckProps = {}): Unit[] {
  const services = props.services ?? ACK_WORKLOAD_SERVICES;
  for (const service of services) {
    if (!(ACK_WORKLOAD_SERVICES as readonly string[]).includes(service)) {
      throw new Error(`ack services entry '${service}' is not a workload controller; use some of: ${ACK_WORKLOAD_SERVICES.join(', ')} (iam and eks always run)`);
    }
  }
  if (new Set(services).size !== services.length) throw new Error(`ack services lists a controller twice: ${services.join(', ')}`);
  const settings = {
    logLevel: props.logLevel ?? 'info',
    resyncSeconds: (props.resyncPeriod ?? Duration.hours(10)).toSeconds(),
    removalPolicy: props.defaultRemovalPolicy ?? RemovalPolicy.RETAIN,
  } as const;
  for (const pattern of props.s3BucketPolicyNamePatterns ?? []) {
    if (pattern.replace(/\*/g, '') === '') throw new Error(`ack s3BucketPolicyNamePatterns entry '${pattern}' matches every bucket; name the managed buckets' prefix, e.g. 'imagegen-*' (a bucket policy can open a bucket to anyone)`);
  }
  if (settings.resyncSeconds < 60) throw new Error(`ack resyncPeriod is ${settings.resyncSeconds}s; use at least 1 minute to stay within AWS API rate limits`);
  const permissionOptions = (cluster: ClusterConfig): PermissionOptions => ({
    passableRoleArnPatterns: props.passableRoleArnPatterns ?? defaultPassableRoles(cluster),
    lambdaCodeBuckets: props.lambdaCodeBuckets ?? (cluster.artifacts ? [cluster.artifacts.bucket] : []),
    s3BucketNamePatterns: props.s3BucketNamePatterns ?? ['*'],
    s3BucketPolicyNamePatterns: props.s3BucketPolicyNamePatterns ?? ((props.s3BucketNamePatterns ?? ['*']).some((p) => p.includes('*') && p.replace(/\*/g, '') === '') ? [] : [...(props.s3BucketNamePatterns ?? [])]),
    sqsQueueNamePatterns: props.sqsQueueNamePatterns ?? defaultSqsQueueNamePatterns(cluster),
    alarmNamePatterns: props.alarmNamePatterns ?? defaultAlarmNamePatterns(cluster),
    topicNamePatterns: props.topicNamePatterns ?? defaultAlarmNamePatterns(cluster),
  });
  const statementsFor = (service: AckService, cluster: ClusterConfig): PolicyStatement[] => [
    ...permissionsOf(service, cluster, permissionOptions(cluster)),
    ...(props.additionalStatements?.[service] ?? []),
  ];

  const iam: Unit = {
    name: ACK_IAM_UNIT,
    project: ACK_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    render(scope, { cluster }) {
      const bootstrap = ackIamBootstrap(cluster);
      controller(scope, 'iam', settings, cluster, { [IRSA_ROLE_ANNOTATION]: bootstrap.roleArn }, true);
      // The unit that owns ack-system fences it for every ACK controller: AWS and Kubernetes APIs, no webhooks.
      new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace: ACK_NAMESPACE, awsApis: true });
    },
  };

  const eks: Unit = {
    name: ACK_EKS_UNIT,
    project: ACK_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [ACK_IAM_UNIT],
    render(scope, { cluster }) {
      const role = new IrsaRole(scope, 'ControllerIdentity', {
        cluster,
        roleSuffix: ackServiceAccount('eks'),
        namespace: ACK_NAMESPACE,
        serviceAccountNamespace: ACK_NAMESPACE,
        serviceAccountName: ackServiceAccount('eks'),
        statements: statementsFor('eks', cluster),
      });
      controller(scope, 'eks', settings, cluster, role.serviceAccountAnnotations, false);
    },
  };

  const identities = identityUnit({
    project: ACK_PROJECT,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      for (const service of services) {
        new PodIdentityRole(scope, `${service}-identity`, {
          cluster,
          roleSuffix: ackServiceAccount(service),
          namespace: ACK_NAMESPACE,
          serviceAccountNamespace: ACK_NAMESPACE,
          serviceAccountName: ackServiceAccount(service),
          statements: statementsFor(service, cluster),
        });
      }
    },
  });

  const workloads = services.map(
    (service): Unit => ({
      name: `${ACK_PROJECT}.${service}`,
      project: ACK_PROJECT,
      createdAt: unitCallSite(),
      layer: 'infra-controllers',
      dependsOn: [identityUnitName(ACK_PROJECT)],
      render(scope, { cluster }) {
        controller(scope, service, settings, cluster, {}, false);
      },
    }),
  );
  return services.length > 0 ? [iam, eks, identities, ...workloads] : [iam, eks];
}

function permissionsOf(service: AckService, cluster: ClusterConfig, options: PermissionOptions): PolicyStatement[] {
  switch (service) {
    case 'rds':
      return rdsPermissions(cluster);
    case 'lambda':
      return lambdaPermissions(cluster, options);
    case 'eventbridge':
      return eventBridgePermissions(cluster, options);
    case 'secretsmanager':
      return secretsManagerPermissions(cluster);
    case 's3':
      return s3Permissions(cluster, options);
    case 'eks':
      return eksPermissions(cluster, options);
    case 'sqs':
      return sqsPermissions(cluster, options.sqsQueueNamePatterns);
    case 'prometheusservice':
      return prometheusServicePermissions(cluster);
    case 'cloudwatch':
      return cloudwatchPermissions(cluster, options.alarmNamePatterns);
    case 'sns':
      return snsPermissions(cluster, options.topicNamePatterns);
    case 'iam':
      return [...ackIamBootstrap(cluster).statements];
  }
}

interface ControllerSettings {
  readonly logLevel: 'info' | 'debug';
  readonly resyncSeconds: number;
  readonly removalPolicy: RemovalPolicy;
}

function controller(
  scope: Construct,
  service: AckService,
  settings: ControllerSettings,
  cluster: ClusterConfig,
  serviceAccountAnnotations: Record<string, string>,
  createNamespace: boolean,
): HelmAddon<AckControllerValues> {
  return new HelmAddon<AckControllerValues>(scope, `${service}-controller`, {
    name: ackServiceAccount(service),
    namespace: ACK_NAMESPACE,
    createNamespace,
    chart: ackChart(service),
    installsCrds: ackCrdGroups(service),
    values: {
      aws: { region: cluster.region },
      installScope: 'cluster',
      serviceAccount: { create: true, name: ackServiceAccount(service), annotations: serviceAccountAnnotations },
      deletionPolicy: settings.removalPolicy === RemovalPolicy.RETAIN ? 'retain' : 'delete',
      log: { enable_development_logging: settings.logLevel === 'debug', level: settings.logLevel },
      reconcile: { defaultResyncPeriod: settings.resyncSeconds },
      resourceTags: [
        'services.k8s.aws/controller-version=%CONTROLLER_SERVICE%-%CONTROLLER_VERSION%',
        'services.k8s.aws/namespace=%K8S_NAMESPACE%',
        `${CLUSTER_TAG_KEY}=${cluster.name}`,
      ],
    },
  });
}
