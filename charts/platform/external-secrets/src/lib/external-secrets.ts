import { type Unit, unitCallSite } from '@flotilla/config';
import type { ExternalSecretsChartValues } from '@flotilla/k8s-apis/helm-values';
import {
  ControllerNetworkPolicies,
  HelmAddon,
  clusterRoleArn,
  PodIdentityRole,
  VERSIONS,
  identityUnit,
  identityUnitName,
  regionalArnPrefix,
} from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';

export const EXTERNAL_SECRETS_PROJECT = 'external-secrets';
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';
/** The controller's ServiceAccount; the Pod Identity association binds the controller role to it. */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = 'external-secrets';
/** Suffix of the controller role, `<cluster>-external-secrets`. */
export const EXTERNAL_SECRETS_ROLE_SUFFIX = 'external-secrets';

export type EsoLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ExternalSecretsProps {
  /** Controller replicas (leader-elected; more than one only for faster failover). @default 1 */
  readonly replicas?: number;
  /** @default 'info' */
  readonly logLevel?: EsoLogLevel;
  /** ExternalSecrets reconciled in parallel (`--concurrent`). @default 1 */
  readonly concurrent?: number;
  /**
   * Secrets Manager name prefixes the controller's own role may read (stores without `auth` use
   * the controller's Pod Identity credentials).
   *
   * @default - [`<cluster name>/`]
   */
  readonly secretNamePrefixes?: readonly string[];
  /** Allow `dataFrom.find` (needs `ListSecrets`/`BatchGetSecretValue`, which take no resource ARN). @default false */
  readonly allowFind?: boolean;
  /**
   * More permissions for the controller role, e.g. `sts:AssumeRole` + `sts:TagSession` on the
   * roles ClusterSecretStores assume, or `kms:Decrypt` for customer-managed keys.
   *
   * @default - none
   */
  readonly additionalStatements?: readonly PolicyStatement[];
  /**
   * Suffixes of this cluster's roles (`<cluster>-<suffix>`) the controller may assume with session
   * tags, e.g. the tenant secrets role ClusterSecretStores/SecretStores set as `role`.
   *
   * @default - none
   */
  readonly assumableRoleSuffixes?: readonly string[];
  /**
   * Keep EKS Pod Identity session tags on the controller's session. Off by default: they are
   * transitive, so they would ride into every role the controller chains into and break trust
   * policies that allow only the tenant tag (`aws:TagKeys`).
   *
   * @default false
   */
  readonly podIdentitySessionTags?: boolean;
}

/**
 * The values this chart sets, a narrowing of the chart's own values type (generated from its
 * values.schema.json, chart `external-secrets` 2.9.0): a value the schema types differently does
 * not compile, and synth checks the rendered values against the schema.
 */
export interface ExternalSecretsValues extends ExternalSecretsChartValues {
  /** CRDs are templates in this chart (not `crds/`), so they upgrade with the release. */
  readonly installCRDs: boolean;
  /** `helm.sh/resource-policy: keep`: uninstalling or remediating the release must not delete every ExternalSecret with its CRD. */
  readonly crds: { readonly annotations: Readonly<Record<string, string>> };
  readonly replicaCount: number;
  /** The chart defaults to false; replicas without leader election would reconcile concurrently. */
  readonly leaderElect: boolean;
  readonly concurrent: number;
  readonly log: { readonly level: EsoLogLevel; readonly timeEncoding: 'iso8601' };
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable: number };
  readonly webhook: { readonly replicaCount: number };
  readonly certController: { readonly replicaCount: number };
}

/**
 * External Secrets Operator: `external-secrets.identity` (controller role via Pod Identity, read
 * access to Secrets Manager under the cluster's prefix) and `external-secrets` (the release).
 * ClusterSecretStores and their ABAC roles are platform configuration, not part of this chart.
 */
export function externalSecrets(props: ExternalSecretsProps = {}): Unit[] {
  const replicas = props.replicas ?? 1;
  const concurrent = props.concurrent ?? 1;
  for (const [field, value] of [
    ['replicas', replicas],
    ['concurrent', concurrent],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`externalSecrets ${field} is ${value}; use a whole number of at least 1`);
  }
  for (const prefix of props.secretNamePrefixes ?? []) {
    if (prefix === '' || prefix.includes('*')) {
      throw new Error(`externalSecrets secretNamePrefixes entry '${prefix}' must be a non-empty name prefix without '*', e.g. 'dev/'`);
    }
  }

  const identity = identityUnit({
    project: EXTERNAL_SECRETS_PROJECT,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      const secretArn = `${regionalArnPrefix(cluster, 'secretsmanager')}secret:`;
      const prefixes = props.secretNamePrefixes ?? [`${cluster.name}/`];
      const statements: PolicyStatement[] = [
        {
          sid: 'ReadSecretsUnderPrefix',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:ListSecretVersionIds'],
          resources: prefixes.map((prefix) => `${secretArn}${prefix}*`),
        },
        ...(props.allowFind ? [{ sid: 'FindSecrets', actions: ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'], resources: ['*'] }] : []),
        ...((props.assumableRoleSuffixes ?? []).length > 0
          ? [
              {
                sid: 'AssumeStoreRoles',
                actions: ['sts:AssumeRole', 'sts:TagSession'],
                resources: (props.assumableRoleSuffixes ?? []).map((suffix) => clusterRoleArn(cluster, suffix)),
              },
            ]
          : []),
        ...(props.additionalStatements ?? []),
      ];
      new PodIdentityRole(scope, 'ControllerIdentity', {
        cluster,
        roleSuffix: EXTERNAL_SECRETS_ROLE_SUFFIX,
        serviceAccountNamespace: EXTERNAL_SECRETS_NAMESPACE,
        serviceAccountName: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
        statements,
        sessionTags: props.podIdentitySessionTags ?? false,
      });
    },
  });

  const release: Unit = {
    name: EXTERNAL_SECRETS_PROJECT,
    project: EXTERNAL_SECRETS_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [identityUnitName(EXTERNAL_SECRETS_PROJECT)],
    render(scope) {
      // Secrets Manager/STS over HTTPS; the API server calls the webhook on 10250 (chart default).
      new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace: EXTERNAL_SECRETS_NAMESPACE, awsApis: true, webhookPorts: [10250] });
      new HelmAddon<ExternalSecretsValues>(scope, 'ExternalSecrets', {
        name: 'external-secrets',
        namespace: EXTERNAL_SECRETS_NAMESPACE,
        chart: VERSIONS.externalSecrets,
        installsCrds: ['external-secrets.io', 'generators.external-secrets.io'],
        values: {
          installCRDs: true,
          crds: { annotations: { 'helm.sh/resource-policy': 'keep' } },
          replicaCount: replicas,
          leaderElect: replicas > 1,
          concurrent,
          log: { level: props.logLevel ?? 'info', timeEncoding: 'iso8601' },
          serviceAccount: { create: true, name: EXTERNAL_SECRETS_SERVICE_ACCOUNT },
          podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
          webhook: { replicaCount: replicas },
          certController: { replicaCount: 1 },
        },
      });
    },
  };
  return [identity, release];
}
