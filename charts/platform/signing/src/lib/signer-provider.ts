import { crossplanePackageHealthCheck, type ClusterConfig, type Unit, unitCallSite, SIGNING_PROFILES, signingProfileArn } from '@flotilla/config';
import { CROSSPLANE_PACKAGES, PodIdentityRole, crossplanePackage, identityUnit, identityUnitName } from '@flotilla/constructs';
import * as xp from '@flotilla/k8s-apis/crossplane';
import { INSTALLS_CRDS_ANNOTATION, type PolicyStatement } from '@flotilla/model';

export const PROVIDER_AWS_SIGNER_NAME = 'provider-aws-signer';
export const PROVIDER_AWS_SIGNER_CRD_GROUPS = ['signer.aws.upbound.io'] as const;
/** The Crossplane core unit and its namespace (`@flotilla/charts/platform/crossplane`). */
const CROSSPLANE_CORE_UNIT = 'crossplane';
const CROSSPLANE_NAMESPACE = 'crossplane-system';

/**
 * What the Signer provider may do: manage (create, read, tag, cancel) the fleet's two profiles in
 * this account and region, nothing else. It never signs: signing jobs run in CI.
 */
export function providerAwsSignerStatements(cluster: ClusterConfig): PolicyStatement[] {
  const profiles = Object.values(SIGNING_PROFILES).map((spec) => signingProfileArn(cluster, spec));
  return [
    {
      sid: 'ManageFleetSigningProfiles',
      actions: ['signer:PutSigningProfile', 'signer:GetSigningProfile', 'signer:CancelSigningProfile', 'signer:TagResource', 'signer:UntagResource', 'signer:ListTagsForResource'],
      resources: [...profiles, ...profiles.map((arn) => `${arn}/*`)].sort(),
    },
  ];
}

/**
 * `<project>.identity` (Pod Identity role of the provider) and `<project>.provider`
 * (`DeploymentRuntimeConfig` + `Provider` `provider-aws-signer`, same release as provider-aws-iam),
 * both in `infra-controllers`, so the `SigningProfile`s of the next layer find their CRD.
 */
export function signerProviderUnits(project: string): Unit[] {
  const identity = identityUnit({
    project,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      new PodIdentityRole(scope, 'ProviderIdentity', {
        cluster,
        roleSuffix: `crossplane-${PROVIDER_AWS_SIGNER_NAME}`,
        serviceAccountNamespace: CROSSPLANE_NAMESPACE,
        serviceAccountName: PROVIDER_AWS_SIGNER_NAME,
        statements: providerAwsSignerStatements(cluster),
      });
    },
  });
  const provider: Unit = {
    name: `${project}.provider`,
    project,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [CROSSPLANE_CORE_UNIT, identityUnitName(project)],
    flux: { healthCheckExprs: [crossplanePackageHealthCheck('Provider')] },
    render(scope) {
      new xp.DeploymentRuntimeConfig(scope, 'RuntimeConfig', {
        metadata: { name: PROVIDER_AWS_SIGNER_NAME },
        spec: { serviceAccountTemplate: { metadata: { name: PROVIDER_AWS_SIGNER_NAME } } },
      });
      new xp.Provider(scope, 'Provider', {
        metadata: { name: PROVIDER_AWS_SIGNER_NAME, annotations: { [INSTALLS_CRDS_ANNOTATION]: PROVIDER_AWS_SIGNER_CRD_GROUPS.join(',') } },
        spec: {
          // The stage's pin (releases.ts, chart pins), so an upgrade is promoted like the other packages.
          package: crossplanePackage(scope, PROVIDER_AWS_SIGNER_NAME, CROSSPLANE_PACKAGES.providerAwsSigner),
          packagePullPolicy: 'IfNotPresent',
          revisionActivationPolicy: 'Automatic',
          revisionHistoryLimit: 1,
          runtimeConfigRef: { apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig', name: PROVIDER_AWS_SIGNER_NAME },
        },
      });
    },
  };
  return [identity, provider];
}
