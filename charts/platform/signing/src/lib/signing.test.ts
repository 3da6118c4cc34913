import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignatureValidity } from '@flotilla/config';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import { AWS_SIGNER_ROOT } from './aws-signer-root';
import { SignatureEnforcement } from './image-signature-policy';
import { AWS_SIGNER_NOTATION_PLUGIN } from './ratify-verification';
import { UntrustedArtifactOnDeployment } from './lambda-code-signing';
import { signing, type SigningProps } from './signing';

const ECR = '222222222222.dkr.ecr.eu-north-1.amazonaws.com';
const cluster = fixtureCluster('prod', [], { account: '222222222222', region: 'eu-north-1', environment: 'prod' });
const base: SigningProps = { lambdaProfileVersion: 'ABCDEFGHIJ', imagePolicy: { registries: [ECR], enforcement: SignatureEnforcement.DENY } };
const render = (props: Partial<SigningProps> = {}) => renderUnits(signing({ ...base, ...props }), cluster);
const spec = (object: KubeObject) => object.spec as Record<string, any>;

describe('signing', () => {
  it('splits provider, profiles and the image policy into ordered units', () => {
    expect(signing(base).map((unit) => [unit.name, unit.layer, unit.dependsOn ?? []])).toEqual([
      ['signing.identity', 'infra-controllers', ['ack.iam', 'ack.eks']],
      ['signing.provider', 'infra-controllers', ['crossplane', 'signing.identity']],
      ['signing', 'infra-configs', []],
      ['signing.image-verification', 'infra-configs', ['ratify']],
      ['signing.image-policy', 'policies', ['signing.image-verification']],
    ]);
  });

  it('declares the two retained Signer profiles under their AWS names with typed validity', () => {
    const objects = render({ imageSignatureValidity: SignatureValidity.years(2) }).get('signing');
    const images = findObject(objects, 'SigningProfile', 'flotilla-images');
    expect(images.metadata.annotations).toEqual({ 'crossplane.io/external-name': 'flotilla_images' });
    expect(spec(images)).toMatchObject({
      deletionPolicy: 'Orphan',
      forProvider: { region: 'eu-north-1', platformId: 'Notation-OCI-SHA384-ECDSA', signatureValidityPeriod: { type: 'YEARS', value: 2 } },
    });
    const lambda = findObject(objects, 'SigningProfile', 'flotilla-lambda');
    expect(spec(lambda).forProvider).toMatchObject({ platformId: 'AWSLambda-SHA384-ECDSA', signatureValidityPeriod: { type: 'MONTHS', value: 12 } });
  });

  it('allows only the Lambda profile version and enforces it by default', () => {
    const config = findObject(render().get('signing'), 'CodeSigningConfig', 'flotilla-lambda');
    expect(config.metadata).toMatchObject({ namespace: 'ack-system', annotations: { 'services.k8s.aws/deletion-policy': 'retain' } });
    expect(spec(config)).toMatchObject({
      allowedPublishers: { signingProfileVersionARNs: ['arn:aws:signer:eu-north-1:222222222222:/signing-profiles/flotilla_lambda/ABCDEFGHIJ'] },
      codeSigningPolicies: { untrustedArtifactOnDeployment: 'Enforce' },
    });
    const warn = findObject(render({ untrustedLambdaArtifact: UntrustedArtifactOnDeployment.WARN }).get('signing'), 'CodeSigningConfig');
    expect(spec(warn).codeSigningPolicies).toEqual({ untrustedArtifactOnDeployment: 'Warn' });
  });

  it('fails if the Lambda profile version is not a Signer version id', () => {
    expect(() => render({ lambdaProfileVersion: 'v1' })).toThrow(/signing profile version 'v1' of flotilla_lambda is not a Signer version id.*kubectl get signingprofile/);
  });

  it('lets the provider manage only the two profiles of this account and region', () => {
    const role = findObject(render().get('signing.identity'), 'Role');
    const [statement] = JSON.parse((spec(role).inlinePolicies as Record<string, string>)['crossplane-provider-aws-signer']!).Statement;
    expect(statement.Action).toContain('signer:PutSigningProfile');
    expect(statement.Action).not.toContain('signer:StartSigningJob');
    expect(statement.Resource).toEqual([
      'arn:aws:signer:eu-north-1:222222222222:/signing-profiles/flotilla_images',
      'arn:aws:signer:eu-north-1:222222222222:/signing-profiles/flotilla_images/*',
      'arn:aws:signer:eu-north-1:222222222222:/signing-profiles/flotilla_lambda',
      'arn:aws:signer:eu-north-1:222222222222:/signing-profiles/flotilla_lambda/*',
    ]);
    expect(spec(findObject(render().get('signing.provider'), 'Provider')).package).toBe('xpkg.upbound.io/upbound/provider-aws-signer:v2.6.0');
  });

  it('has Ratify trust only the images profile, through the AWS Signer plugin and root, strictly', () => {
    const objects = render().get('signing.image-verification')!;
    const root = findObject(objects, 'KeyManagementProvider', 'aws-signer-root');
    expect(root.apiVersion).toBe('config.ratify.deislabs.io/v1beta1');
    expect(spec(root)).toEqual({ type: 'inline', parameters: { contentType: 'certificate', value: AWS_SIGNER_ROOT.pem } });
    expect(spec(findObject(objects, 'Verifier', 'aws-signer-plugin'))).toEqual({
      name: 'notation-com.amazonaws.signer.notation.plugin',
      artifactTypes: 'application/vnd.oci.image.manifest.v1+json',
      source: { artifact: AWS_SIGNER_NOTATION_PLUGIN },
    });
    expect(spec(findObject(objects, 'Verifier', 'verifier-notation'))).toEqual({
      name: 'notation',
      artifactTypes: 'application/vnd.cncf.notary.signature',
      parameters: {
        verificationCertStores: { signingAuthority: { 'aws-signer': ['aws-signer-root'] } },
        trustPolicyDoc: {
          version: '1.0',
          trustPolicies: [
            {
              name: 'flotilla-images',
              registryScopes: ['*'],
              signatureVerification: { level: 'strict' },
              trustStores: ['signingAuthority:aws-signer'],
              trustedIdentities: ['arn:aws:signer:eu-north-1:222222222222:/signing-profiles/flotilla_images'],
            },
          ],
        },
      },
    });
    const pinned = `public.ecr.aws/aws-signer/notation-plugin@sha256:${'b'.repeat(64)}`;
    expect(spec(findObject(render({ signerPlugin: pinned }).get('signing.image-verification'), 'Verifier', 'aws-signer-plugin')).source).toEqual({ artifact: pinned });
    expect(() => render({ signerPlugin: 'notation-plugin' })).toThrow(/signerPlugin 'notation-plugin' is not an OCI reference/);
  });

  it('denies pods with images Ratify does not verify from the covered registries on prod', () => {
    const constraint = findObject(render().get('signing.image-policy'), 'FlotillaImageSignatures', 'image-signatures');
    expect(constraint.apiVersion).toBe('constraints.gatekeeper.sh/v1beta1');
    expect(spec(constraint)).toMatchObject({ enforcementAction: 'deny', match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] }, parameters: { registries: [ECR] } });
    // System namespaces (Ratify and Gatekeeper included), plus the platform add-ons whose upstream images no fleet profile signs.
    expect(spec(constraint).match.excludedNamespaces).toEqual([
      'ack-system', 'crossplane-system', 'external-secrets', 'flux-system', 'gatekeeper-system', 'karpenter', 'kong', 'kube-node-lease', 'kube-public', 'kube-system', 'ratify', 'reloader',
    ]);
  });

  it('warns instead where configured (dev), and takes typed exemptions', () => {
    const constraint = findObject(
      render({ imagePolicy: { registries: [ECR], enforcement: SignatureEnforcement.WARN, exemptNamespaces: [{ namespace: 'sandbox', reason: 'throwaway experiments, deleted nightly' }] } }).get('signing.image-policy'),
      'FlotillaImageSignatures',
    );
    expect(spec(constraint).enforcementAction).toBe('warn');
    // Given exemptions replace the add-on defaults; the system namespaces always stay exempt.
    expect(spec(constraint).match.excludedNamespaces).toEqual(['flux-system', 'gatekeeper-system', 'kube-node-lease', 'kube-public', 'kube-system', 'ratify', 'sandbox']);
  });

  it('fails if a registry has a wildcard or an exemption has no reason', () => {
    expect(() => render({ imagePolicy: { registries: [`${ECR}/*`], enforcement: SignatureEnforcement.DENY } })).toThrow(/no wildcard/);
    expect(() => render({ imagePolicy: { registries: [ECR], enforcement: SignatureEnforcement.DENY, exemptNamespaces: [{ namespace: 'x', reason: '' }] } })).toThrow(/needs a reason/);
  });
});

describe('AWS Signer root certificate', () => {
  it('is the AWS Signer Code Signing Root CA G1 with the recorded digests', () => {
    const certificate = new X509Certificate(AWS_SIGNER_ROOT.pem);
    expect(certificate.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(AWS_SIGNER_ROOT.fingerprintSha256);
    expect(createHash('sha256').update(AWS_SIGNER_ROOT.pem).digest('hex')).toBe(AWS_SIGNER_ROOT.pemSha256);
    expect(certificate.subject.split('\n')).toContain('CN=AWS Signer Code Signing Root CA G1');
    expect(certificate.ca).toBe(true);
    expect(certificate.checkIssued(certificate)).toBe(true);
  });
});
