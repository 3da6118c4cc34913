import { crossplanePackageHealthCheck, type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import {
  CROSSPLANE_PACKAGES,
  ControllerNetworkPolicies,
  crossplanePackage,
  HelmAddon,
  PodIdentityRole,
  VERSIONS,
  iamManagementStatements,
  identityUnit,
  identityUnitName,
  eksClusterNameOf,
  partitionOf,
} from '@flotilla/constructs';
import * as crossplaneAws from '@flotilla/k8s-apis/crossplane-aws';
import * as xp from '@flotilla/k8s-apis/crossplane';
import { INSTALLS_CRDS_ANNOTATION, type PolicyStatement } from '@flotilla/model';

export const CROSSPLANE_PROJECT = 'crossplane';
export const CROSSPLANE_NAMESPACE = 'crossplane-system';
export const PROVIDER_AWS_IAM = 'provider-aws-iam';
/** Fixed by the DeploymentRuntimeConfig; Crossplane would otherwise name it after the package revision. */
export const PROVIDER_AWS_IAM_SERVICE_ACCOUNT = 'provider-aws-iam';
export const PROVIDER_CONFIG_UNIT = `${CROSSPLANE_PROJECT}.provider-config`;
export const PROVIDER_AWS_IAM_UNIT = `${CROSSPLANE_PROJECT}.${PROVIDER_AWS_IAM}`;

/** Groups the Crossplane core installs (its init container applies them at start). */
export const CROSSPLANE_CRD_GROUPS = ['apiextensions.crossplane.io', 'ops.crossplane.io', 'pkg.crossplane.io', 'protection.crossplane.io'] as const;
/** Groups the IAM provider package (and its `provider-family-aws` dependency) install. */
export const PROVIDER_AWS_IAM_CRD_GROUPS = ['aws.upbound.io', 'iam.aws.upbound.io'] as const;

export interface CrossplaneProps {
  /** Crossplane core replicas (leader-elected). @default 1 */
  readonly replicas?: number;
  /** Core and provider debug logging (`--debug`). @default false */
  readonly debug?: boolean;
  /**
   * IAM path the provider may manage roles and policies under; every Crossplane-managed role and
   * policy must set this `path`. Keeps the provider away from controller roles (`/<cluster>-*`).
   *
   * @default - `/crossplane/<cluster name>/`
   */
  readonly iamPath?: string;
  /** Name of the ProviderConfig managed resources use. @default 'default' */
  readonly providerConfigName?: string;
}

/** The values this chart sets (chart `crossplane` 2.3.4). */
export interface CrossplaneValues {
  readonly replicas: number;
  readonly args: readonly string[];
}

function iamPathOf(cluster: ClusterConfig, props: CrossplaneProps): string {
  const path = props.iamPath ?? `/crossplane/${cluster.name}/`;
  if (!/^\/([\w+=,.@-]+\/)+$/.test(path)) {
    throw new Error(`crossplane iamPath '${path}' must start and end with '/' and contain only IAM path characters, e.g. '/crossplane/dev/'`);
  }
  return path;
}

/**
 * The provider's permissions: IAM roles and policies under its path, and attaching only those
 * policies (e.g. the CostCenter deny policy) to the cluster's own roles (`<cluster>-*`).
 */
export function providerAwsIamStatements(cluster: ClusterConfig, props: CrossplaneProps = {}): PolicyStatement[] {
  const iam = `arn:${partitionOf(cluster.region)}:iam::${cluster.account}`;
  const path = iamPathOf(cluster, props);
  const clusterRoles = `${iam}:role/${eksClusterNameOf(cluster)}-*`;
  return [
    // Only its own policies: it creates no tenant roles and attaches no AWS managed policy.
    ...iamManagementStatements([`${iam}:role${path}*`], [`${iam}:policy${path}*`], { attachablePolicyArns: [] }),
    {
      sid: 'AttachOwnPoliciesToClusterRoles',
      actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      resources: [clusterRoles],
      conditions: { ArnLike: { 'iam:PolicyARN': [`${iam}:policy${path}*`] } },
    },
    { sid: 'ReadClusterRoleAttachments', actions: ['iam:ListAttachedRolePolicies'], resources: [clusterRoles] },
  ];
}

/**
 * Crossplane with the Upbound AWS IAM provider:
 *
 * - `crossplane` (infra-controllers): the core chart;
 * - `crossplane.identity` (infra-controllers): Pod Identity role of the provider's ServiceAccount;
 * - `crossplane.provider-aws-iam` (infra-controllers, after both): `DeploymentRuntimeConfig` + `Provider`;
 * - `crossplane.provider-config` (infra-configs): the `ProviderConfig` (credentials: PodIdentity).
 */
export function crossplane(props: CrossplaneProps = {}): Unit[] {
  const replicas = props.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`crossplane replicas is ${replicas}; use a whole number of at least 1`);
  const debugArgs = props.debug ? ['--debug'] : [];

  const core: Unit = {
    name: CROSSPLANE_PROJECT,
    project: CROSSPLANE_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    render(scope) {
      // Providers run here and call AWS; the API server calls Crossplane's webhook on 9443.
      new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace: CROSSPLANE_NAMESPACE, awsApis: true, webhookPorts: [9443] });
      new HelmAddon<CrossplaneValues>(scope, 'Crossplane', {
        name: 'crossplane',
        namespace: CROSSPLANE_NAMESPACE,
        chart: VERSIONS.crossplane,
        installsCrds: CROSSPLANE_CRD_GROUPS,
        values: { replicas, args: debugArgs },
      });
    },
  };

  const identity = identityUnit({
    project: CROSSPLANE_PROJECT,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      new PodIdentityRole(scope, 'ProviderIdentity', {
        cluster,
        roleSuffix: `crossplane-${PROVIDER_AWS_IAM}`,
        serviceAccountNamespace: CROSSPLANE_NAMESPACE,
        serviceAccountName: PROVIDER_AWS_IAM_SERVICE_ACCOUNT,
        statements: providerAwsIamStatements(cluster, props),
      });
    },
  });

  const provider: Unit = {
    name: PROVIDER_AWS_IAM_UNIT,
    project: CROSSPLANE_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [CROSSPLANE_PROJECT, identityUnitName(CROSSPLANE_PROJECT)],
    // The package manager creates the provider's CRDs only once the package is installed and healthy.
    flux: { healthCheckExprs: [crossplanePackageHealthCheck('Provider')] },
    render(scope) {
      new xp.DeploymentRuntimeConfig(scope, 'RuntimeConfig', {
        metadata: { name: PROVIDER_AWS_IAM },
        spec: {
          serviceAccountTemplate: { metadata: { name: PROVIDER_AWS_IAM_SERVICE_ACCOUNT } },
          ...(props.debug
            ? {
                deploymentTemplate: {
                  spec: { selector: {}, template: { spec: { containers: [{ name: 'package-runtime', args: debugArgs }] } } },
                },
              }
            : {}),
        },
      });
      new xp.Provider(scope, 'Provider', {
        metadata: { name: PROVIDER_AWS_IAM, annotations: { [INSTALLS_CRDS_ANNOTATION]: [...PROVIDER_AWS_IAM_CRD_GROUPS].join(',') } },
        spec: {
          package: crossplanePackage(scope, PROVIDER_AWS_IAM, CROSSPLANE_PACKAGES.providerAwsIam),
          packagePullPolicy: 'IfNotPresent',
          revisionActivationPolicy: 'Automatic',
          revisionHistoryLimit: 1,
          runtimeConfigRef: { apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig', name: PROVIDER_AWS_IAM },
        },
      });
    },
  };

  const providerConfig: Unit = {
    name: PROVIDER_CONFIG_UNIT,
    project: CROSSPLANE_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    dependsOn: [PROVIDER_AWS_IAM_UNIT],
    render(scope) {
      new crossplaneAws.ProviderConfig(scope, 'ProviderConfig', {
        metadata: { name: props.providerConfigName ?? 'default' },
        spec: { credentials: { source: crossplaneAws.ProviderConfigSpecCredentialsSource.POD_IDENTITY } },
      });
    },
  };
  return [core, identity, provider, providerConfig];
}
