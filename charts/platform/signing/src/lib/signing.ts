import { type Unit, unitCallSite, SIGNING_PROFILES, SIGNING_UNIT, SignatureValidity, type SigningProfileSpec, signingProfileArn, signingProfileObjectName } from '@flotilla/config';
import { RATIFY_PROJECT } from '@flotilla/charts/platform/ratify';
import { RemovalPolicy, crossplaneDeletionPolicy } from '@flotilla/constructs';
import * as xpAws from '@flotilla/k8s-apis/crossplane-aws';
import type { Construct } from 'constructs';
import { ImageSignatureConstraint, type SignatureEnforcement, type SignatureExemption } from './image-signature-policy';
import { RatifyImageVerification } from './ratify-verification';
import { LambdaCodeSigning, UntrustedArtifactOnDeployment } from './lambda-code-signing';
import { signerProviderUnits } from './signer-provider';

export const SIGNING_PROJECT = SIGNING_UNIT;
export const IMAGE_POLICY_UNIT = `${SIGNING_PROJECT}.image-policy`;
export const IMAGE_VERIFICATION_UNIT = `${SIGNING_PROJECT}.image-verification`;


export interface ImagePolicySettings {
  /** Registries whose images must be signed (CI pushes and signs there), e.g. `[c.registry]`. */
  readonly registries: readonly string[];
  /** `deny` on prod; `warn` or `dryrun` where unsigned images may run and are only reported. */
  readonly enforcement: SignatureEnforcement;
  /** Namespaces exempt beyond the system ones, each with its reason. @default PLATFORM_ADDON_SIGNATURE_EXEMPTIONS */
  readonly exemptNamespaces?: readonly SignatureExemption[];
}

export interface SigningProps {
  /** How long an image signature stays valid. @default SignatureValidity.months(12) */
  readonly imageSignatureValidity?: SignatureValidity;
  /** How long a Lambda package signature stays valid. @default SignatureValidity.months(12) */
  readonly lambdaSignatureValidity?: SignatureValidity;
  /**
   * Version id of the Lambda profile (10 letters/digits), which AWS assigns when the profile is
   * created: read `status.atProvider.version` of SigningProfile `flotilla-lambda` and record it here.
   *
   * @default - not known yet (phase 1 creates the profile): no CodeSigningConfig is rendered, so the
   * Functions that reference it wait (ACK reports the missing reference) until the version is recorded
   */
  readonly lambdaProfileVersion?: string;
  /** @default UntrustedArtifactOnDeployment.ENFORCE */
  readonly untrustedLambdaArtifact?: UntrustedArtifactOnDeployment;
  /** The image signature constraint (Gatekeeper) and Ratify's verification (needs the `ratify` unit). */
  readonly imagePolicy: ImagePolicySettings;
  /** OCI reference of the AWS Signer Notation plugin Ratify pulls. @default AWS_SIGNER_NOTATION_PLUGIN */
  readonly signerPlugin?: string;
  /** What deleting a profile object does in AWS; a cancelled profile's name can never be reused. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

function renderProfile(scope: Construct, id: string, spec: SigningProfileSpec, validity: SignatureValidity, region: string, clusterName: string, removal: RemovalPolicy): void {
  new xpAws.SigningProfile(scope, id, {
    // Signer names allow no '-', Kubernetes names no '_': the AWS name is the external name.
    metadata: { name: signingProfileObjectName(spec), annotations: { 'crossplane.io/external-name': spec.name } },
    spec: {
      deletionPolicy: crossplaneDeletionPolicy(removal) as xpAws.SigningProfileSpecDeletionPolicy,
      forProvider: {
        region,
        platformId: spec.platformId,
        signatureValidityPeriod: { type: validity.type, value: validity.value },
        tags: { 'flotilla.dev/cluster': clusterName, 'flotilla.dev/managed-by': 'crossplane' },
      },
    },
  });
}

/**
 * AWS Signer for the fleet's supply chain:
 *
 * - `signing.identity`, `signing.provider` (infra-controllers): Crossplane's provider-aws-signer;
 * - `signing` (infra-configs): SigningProfiles `flotilla_images` (Notation) and `flotilla_lambda`
 *   (Lambda zips), retained, and the Lambda `CodeSigningConfig` (`Enforce` by default);
 * - `signing.image-verification` (infra-configs, after `ratify`): Ratify's Verifiers (AWS Signer
 *   plugin, Notation with the images profile as the only trusted identity) and the root certificate;
 * - `signing.image-policy` (policies): Gatekeeper constraint `FlotillaImageSignatures` on the signed
 *   registries, which asks Ratify for every pod image.
 */
export function signing(props: SigningProps): Unit[] {
  const removal = props.removalPolicy ?? RemovalPolicy.RETAIN;
  const imageValidity = props.imageSignatureValidity ?? SignatureValidity.months(12);
  const lambdaValidity = props.lambdaSignatureValidity ?? SignatureValidity.months(12);
  const profiles: Unit = {
    name: SIGNING_UNIT,
    project: SIGNING_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    render(scope, { cluster }) {
      renderProfile(scope, 'ImagesProfile', SIGNING_PROFILES.images, imageValidity, cluster.region, cluster.name, removal);
      renderProfile(scope, 'LambdaProfile', SIGNING_PROFILES.lambda, lambdaValidity, cluster.region, cluster.name, removal);
      if (props.lambdaProfileVersion === undefined) return;
      new LambdaCodeSigning(scope, 'LambdaCodeSigning', {
        cluster,
        lambdaProfileVersion: props.lambdaProfileVersion,
        untrustedArtifactOnDeployment: props.untrustedLambdaArtifact ?? UntrustedArtifactOnDeployment.ENFORCE,
        removalPolicy: removal,
      });
    },
  };
  const verification: Unit = {
    name: IMAGE_VERIFICATION_UNIT,
    project: SIGNING_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    // Ratify's CRDs and its controller, which loads these objects.
    dependsOn: [RATIFY_PROJECT],
    render(scope, { cluster }) {
      new RatifyImageVerification(scope, 'ImageVerification', {
        signingProfileArn: signingProfileArn(cluster, SIGNING_PROFILES.images),
        ...(props.signerPlugin !== undefined ? { signerPlugin: props.signerPlugin } : {}),
      });
    },
  };
  const imagePolicy: Unit = {
    name: IMAGE_POLICY_UNIT,
    project: SIGNING_PROJECT,
    createdAt: unitCallSite(),
    layer: 'policies',
    dependsOn: [IMAGE_VERIFICATION_UNIT],
    render(scope) {
      new ImageSignatureConstraint(scope, 'ImageSignatures', { ...props.imagePolicy });
    },
  };
  return [...signerProviderUnits(SIGNING_PROJECT), profiles, verification, imagePolicy];
}
