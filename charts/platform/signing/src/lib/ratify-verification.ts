import { Construct } from 'constructs';
import * as ratify from '@flotilla/k8s-apis/ratify';
import { AWS_SIGNER_ROOT } from './aws-signer-root';

/**
 * The AWS Signer Notation plugin as an OCI artifact, which Ratify's dynamic plugins feature pulls
 * (Ratify's AWS Signer quickstart, ratify-web `quickstarts/ratify-with-aws-signer.md`). AWS
 * publishes it by architecture tag only; `linux-amd64-latest` is the tag the quickstart uses and it
 * moves with every plugin release. Its digest cannot be resolved here (no registry access): pin
 * `@sha256:…` through {@link RatifyImageVerificationProps.signerPlugin} once read from the registry.
 * amd64 matches the fleet's node pools (`kubernetes.io/arch: amd64`).
 */
export const AWS_SIGNER_NOTATION_PLUGIN = 'public.ecr.aws/aws-signer/notation-plugin:linux-amd64-latest';
/** The plugin id AWS Signer signatures name (`io.cncf.notary.verificationPlugin`). */
export const AWS_SIGNER_PLUGIN_ID = 'com.amazonaws.signer.notation.plugin';

/** Ratify object names the signature ConstraintTemplate and the docs refer to. */
export const RATIFY_OBJECTS = {
  rootCertificate: 'aws-signer-root',
  pluginVerifier: 'aws-signer-plugin',
  notationVerifier: 'verifier-notation',
  trustStore: 'aws-signer',
} as const;

export interface RatifyImageVerificationProps {
  /** Profile ARN whose signatures are trusted (`signingProfileArn(cluster, SIGNING_PROFILES.images)`). */
  readonly signingProfileArn: string;
  /** OCI reference of the AWS Signer Notation plugin. @default AWS_SIGNER_NOTATION_PLUGIN */
  readonly signerPlugin?: string;
}

const PROFILE_ARN = /^arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:\/signing-profiles\/[A-Za-z0-9_]{2,64}$/;
const OCI_REFERENCE = /^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$/;

/**
 * Ratify's verification setup for AWS Signer (config.ratify.deislabs.io/v1beta1):
 *
 * - KeyManagementProvider `aws-signer-root` (inline): the AWS Signer root ({@link AWS_SIGNER_ROOT});
 * - Verifier `aws-signer-plugin`: the AWS Signer Notation plugin, pulled as a dynamic plugin;
 * - Verifier `verifier-notation`: Notation with a `signingAuthority` trust store holding that root
 *   (AWS Signer signs with the `notary.x509.signingAuthority` scheme) and a `strict` trust policy
 *   whose only trusted identity is the images profile ARN, which the plugin checks (and revocation).
 *
 * The trust policy's `registryScopes` is `*`: a Notation scope is a full repository
 * (`<registry>/<repository>`) or `*`, never a registry prefix. Which images are verified at all is
 * the constraint's `registries` parameter (the ConstraintTemplate sends only those to Ratify).
 */
export class RatifyImageVerification extends Construct {
  constructor(scope: Construct, id: string, props: RatifyImageVerificationProps) {
    super(scope, id);
    if (!PROFILE_ARN.test(props.signingProfileArn)) {
      throw new Error(`Ratify verification: signingProfileArn '${props.signingProfileArn}' is not a signing profile ARN (arn:aws:signer:<region>:<account>:/signing-profiles/<name>); use signingProfileArn(cluster, SIGNING_PROFILES.images)`);
    }
    const plugin = props.signerPlugin ?? AWS_SIGNER_NOTATION_PLUGIN;
    if (!OCI_REFERENCE.test(plugin)) throw new Error(`Ratify verification: signerPlugin '${plugin}' is not an OCI reference with a tag or digest, e.g. '${AWS_SIGNER_NOTATION_PLUGIN}'`);

    new ratify.KeyManagementProvider(this, 'SignerRoot', {
      metadata: { name: RATIFY_OBJECTS.rootCertificate },
      spec: { type: 'inline', parameters: { contentType: 'certificate', value: AWS_SIGNER_ROOT.pem } },
    });
    new ratify.Verifier(this, 'SignerPlugin', {
      metadata: { name: RATIFY_OBJECTS.pluginVerifier },
      // The binary must be named notation-<plugin id> in Ratify's plugin folder for Notation to find it.
      spec: { name: `notation-${AWS_SIGNER_PLUGIN_ID}`, artifactTypes: 'application/vnd.oci.image.manifest.v1+json', source: { artifact: plugin } },
    });
    new ratify.Verifier(this, 'Notation', {
      metadata: { name: RATIFY_OBJECTS.notationVerifier },
      spec: {
        name: 'notation',
        artifactTypes: 'application/vnd.cncf.notary.signature',
        parameters: {
          verificationCertStores: { signingAuthority: { [RATIFY_OBJECTS.trustStore]: [RATIFY_OBJECTS.rootCertificate] } },
          trustPolicyDoc: {
            version: '1.0',
            trustPolicies: [
              {
                name: 'flotilla-images',
                registryScopes: ['*'],
                signatureVerification: { level: 'strict' },
                trustStores: [`signingAuthority:${RATIFY_OBJECTS.trustStore}`],
                trustedIdentities: [props.signingProfileArn],
              },
            ],
          },
        },
      },
    });
  }
}
