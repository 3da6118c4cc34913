import { crossplanePackageHealthCheck, type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import { INSTALLS_CRDS_ANNOTATION, type PolicyStatement } from '@flotilla/model';
import { PodIdentityRole, crossplanePackage, identityUnit, identityUnitName, partitionOf } from '@flotilla/constructs';
import * as xp from '@flotilla/k8s-apis/crossplane';

/**
 * The Upbound AppConfig provider (provider-upjet-aws family member), pinned to the version of the
 * CRDs in `libs/upstream/SOURCES.md` (provider-upjet-aws v2.6.0, same as provider-aws-iam). It
 * shares the family's `ProviderConfig` (`aws.upbound.io`, Pod Identity credentials).
 */
export const PROVIDER_AWS_APPCONFIG = { package: 'xpkg.upbound.io/upbound/provider-aws-appconfig', version: 'v2.6.0' } as const;
export const PROVIDER_AWS_APPCONFIG_NAME = 'provider-aws-appconfig';
export const PROVIDER_AWS_APPCONFIG_CRD_GROUPS = ['appconfig.aws.upbound.io'] as const;
/** The Crossplane core unit (installs `pkg.crossplane.io`) and its namespace, from `@flotilla/charts/platform/crossplane`. */
export const CROSSPLANE_CORE_UNIT = 'crossplane';
export const CROSSPLANE_NAMESPACE = 'crossplane-system';

/**
 * What the provider calls to manage the bindings' AppConfig resources, limited to this account and
 * region (the AWS-authored extension has an empty account field). Action names follow the AppConfig
 * API; the resource types are from the IAM Service Authorization Reference as remembered [inferred].
 */
export function providerAwsAppconfigStatements(cluster: ClusterConfig, retrievalRoleArns: readonly string[] = []): PolicyStatement[] {
  const partition = partitionOf(cluster.region);
  const prefix = `arn:${partition}:appconfig:${cluster.region}:${cluster.account}:`;
  const statements: PolicyStatement[] = [
    {
      sid: 'ManageAppConfigResources',
      actions: [
        'appconfig:CreateApplication',
        'appconfig:GetApplication',
        'appconfig:UpdateApplication',
        'appconfig:DeleteApplication',
        'appconfig:CreateEnvironment',
        'appconfig:GetEnvironment',
        'appconfig:UpdateEnvironment',
        'appconfig:DeleteEnvironment',
        'appconfig:CreateConfigurationProfile',
        'appconfig:GetConfigurationProfile',
        'appconfig:UpdateConfigurationProfile',
        'appconfig:DeleteConfigurationProfile',
        'appconfig:CreateDeploymentStrategy',
        'appconfig:GetDeploymentStrategy',
        'appconfig:UpdateDeploymentStrategy',
        'appconfig:DeleteDeploymentStrategy',
        'appconfig:CreateExtensionAssociation',
        'appconfig:GetExtensionAssociation',
        'appconfig:UpdateExtensionAssociation',
        'appconfig:DeleteExtensionAssociation',
        'appconfig:TagResource',
        'appconfig:UntagResource',
        'appconfig:ListTagsForResource',
      ],
      resources: [`${prefix}application/*`, `${prefix}deploymentstrategy/*`, `${prefix}extensionassociation/*`, `arn:${partition}:appconfig:${cluster.region}::extension/*`],
    },
  ];
  if (retrievalRoleArns.length > 0) {
    statements.push({
      sid: 'PassRetrievalAndMonitorRoles',
      actions: ['iam:PassRole'],
      resources: [...new Set(retrievalRoleArns)].sort(),
      conditions: { StringEquals: { 'iam:PassedToService': 'appconfig.amazonaws.com' } },
    });
  }
  return statements;
}

export interface AppConfigProviderUnitsProps {
  /** The Nx project the units belong to. */
  readonly project: string;
  /** Roles the provider passes to AppConfig: external (S3/SSM) profiles' `retrievalRoleArn` and the environments' monitor role. @default - none */
  readonly retrievalRoleArns?: (cluster: ClusterConfig) => readonly string[];
}

/**
 * `<project>.identity` (the provider's Pod Identity role) and `<project>.provider`
 * (`DeploymentRuntimeConfig` + `Provider`, annotated as installing `appconfig.aws.upbound.io`), both
 * in `infra-controllers`, so the AppConfig managed resources of the next layer find their CRDs.
 */
export function appconfigProviderUnits(props: AppConfigProviderUnitsProps): Unit[] {
  const identity = identityUnit({
    project: props.project,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      new PodIdentityRole(scope, 'ProviderIdentity', {
        cluster,
        roleSuffix: `crossplane-${PROVIDER_AWS_APPCONFIG_NAME}`,
        serviceAccountNamespace: CROSSPLANE_NAMESPACE,
        serviceAccountName: PROVIDER_AWS_APPCONFIG_NAME,
        statements: providerAwsAppconfigStatements(cluster, props.retrievalRoleArns?.(cluster) ?? []),
      });
    },
  });
  const provider: Unit = {
    name: `${props.project}.provider`,
    project: props.project,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [CROSSPLANE_CORE_UNIT, identityUnitName(props.project)],
    // The package manager creates the AppConfig CRDs only once the package is installed and healthy.
    flux: { healthCheckExprs: [crossplanePackageHealthCheck('Provider')] },
    render(scope) {
      new xp.DeploymentRuntimeConfig(scope, 'RuntimeConfig', {
        metadata: { name: PROVIDER_AWS_APPCONFIG_NAME },
        // A fixed ServiceAccount name, so the Pod Identity association matches it.
        spec: { serviceAccountTemplate: { metadata: { name: PROVIDER_AWS_APPCONFIG_NAME } } },
      });
      new xp.Provider(scope, 'Provider', {
        metadata: { name: PROVIDER_AWS_APPCONFIG_NAME, annotations: { [INSTALLS_CRDS_ANNOTATION]: PROVIDER_AWS_APPCONFIG_CRD_GROUPS.join(',') } },
        spec: {
          package: crossplanePackage(scope, PROVIDER_AWS_APPCONFIG_NAME, PROVIDER_AWS_APPCONFIG),
          packagePullPolicy: 'IfNotPresent',
          revisionActivationPolicy: 'Automatic',
          revisionHistoryLimit: 1,
          runtimeConfigRef: { apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig', name: PROVIDER_AWS_APPCONFIG_NAME },
        },
      });
    },
  };
  return [identity, provider];
}
