import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignatureValidity } from '@flotilla/config';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import { AWS_SIGNER_ROOT } from './aws-signer-root';
import { SignatureEnforcement, WebhookFailurePolicy } from './image-signature-policy';
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
      ['signing.image-policy', 'policies', []],
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

  it('denies unsigned images from the covered registries on prod, failing closed, with the AWS Signer root', () => {
    const policy = findObject(render().get('signing.image-policy'), 'ImageValidatingPolicy');
    expect(policy.apiVersion).toBe('policies.kyverno.io/v1');
    expect(spec(policy)).toMatchObject({
      validationActions: ['Deny'],
      failurePolicy: 'Fail',
      matchImageReferences: [{ glob: `${ECR}/*` }],
      attestors: [{ name: 'awssigner', notary: { certs: { value: AWS_SIGNER_ROOT.pem } } }],
      validationConfigurations: { required: true, verifyDigest: true, mutateDigest: false },
    });
    // System namespaces, plus the platform add-ons whose upstream images no fleet profile signs.
    expect(spec(policy).matchConstraints.namespaceSelector.matchExpressions[0].values).toEqual([
      'ack-system', 'crossplane-system', 'external-secrets', 'flux-system', 'gatekeeper-system', 'karpenter', 'kong', 'kube-node-lease', 'kube-public', 'kube-system', 'kyverno', 'ratify', 'reloader',
    ]);
    expect(spec(policy).validations[0].expression).toContain('verifyImageSignatures(image, [attestors.awssigner])');
  });

  it('audits instead where configured (dev), and takes typed exemptions and failure policy', () => {
    const policy = findObject(
      render({ imagePolicy: { registries: [ECR], enforcement: SignatureEnforcement.AUDIT, failurePolicy: WebhookFailurePolicy.IGNORE, exemptNamespaces: [{ namespace: 'sandbox', reason: 'throwaway experiments, deleted nightly' }] } }).get('signing.image-policy'),
      'ImageValidatingPolicy',
    );
    expect(spec(policy)).toMatchObject({ validationActions: ['Audit'], failurePolicy: 'Ignore' });
    // Given exemptions replace the add-on defaults; the system namespaces always stay exempt.
    expect(spec(policy).matchConstraints.namespaceSelector.matchExpressions[0].values).toEqual(['flux-system', 'kube-node-lease', 'kube-public', 'kube-system', 'kyverno', 'sandbox']);
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
