import { Construct } from 'constructs';
import * as kyverno from '@flotilla/k8s-apis/kyverno';
import { AWS_SIGNER_ROOT } from './aws-signer-root';

/** What Kyverno does with an image whose signature does not verify (`validationActions`). */
export enum SignatureEnforcement {
  /** Reject the pod at admission. */
  DENY = 'Deny',
  /** Admit it and record the failure in a policy report. */
  AUDIT = 'Audit',
}

/** What the API server does when Kyverno's webhook cannot answer (`failurePolicy`). */
export enum WebhookFailurePolicy {
  /** Fail closed: no pod is admitted unverified while Kyverno is down. */
  FAIL = 'Fail',
  /** Fail open. */
  IGNORE = 'Ignore',
}

/** Namespaces every cluster has whose pods the signature policy never sees (control plane and GitOps bootstrap). */
export const SIGNATURE_EXEMPT_SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-node-lease', 'kube-public', 'flux-system', 'kyverno'];

/** A namespace the image policy does not see, and why. */
export interface SignatureExemption {
  readonly namespace: string;
  readonly reason: string;
}

const UPSTREAM_ADDON = 'platform add-on running its chart\'s upstream images, which no fleet profile signs; with a fail-closed webhook its pods (and so capacity or credentials) could not come back while Kyverno is down';

/**
 * The platform add-on namespaces (the same ones the Gatekeeper constraints exclude): their pods run
 * upstream images outside the signed registries, so the policy would verify nothing there, and a
 * webhook that fails closed must not stop Karpenter, Gatekeeper, ACK or Crossplane from restarting.
 */
export const PLATFORM_ADDON_SIGNATURE_EXEMPTIONS: readonly SignatureExemption[] = ['karpenter', 'external-secrets', 'ack-system', 'crossplane-system', 'gatekeeper-system', 'reloader', 'kong', 'ratify'].map(
  (namespace) => ({ namespace, reason: UPSTREAM_ADDON }),
);

export interface ImageSignaturePolicyProps {
  /** Policy name. @default 'flotilla-image-signatures' */
  readonly name?: string;
  /**
   * Registries (host plus optional path prefix, without wildcards) whose images must carry a valid
   * signature, e.g. the account's ECR host. Images elsewhere are not matched by the policy.
   */
  readonly registries: readonly string[];
  readonly enforcement: SignatureEnforcement;
  /** @default WebhookFailurePolicy.FAIL */
  readonly failurePolicy?: WebhookFailurePolicy;
  /**
   * Namespaces exempt in addition to {@link SIGNATURE_EXEMPT_SYSTEM_NAMESPACES}, each with its reason.
   *
   * @default PLATFORM_ADDON_SIGNATURE_EXEMPTIONS
   */
  readonly exemptNamespaces?: readonly SignatureExemption[];
  /** Webhook timeout (signature lookups are registry calls). @default 15 */
  readonly timeoutSeconds?: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const REGISTRY = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._/-]+)?$/;

/** The glob a registry prefix matches (`<registry>/*` covers every repository below it). */
export function registryGlob(registry: string): string {
  return `${registry.replace(/\/+$/, '')}/*`;
}

/**
 * Kyverno `ImageValidatingPolicy` (policies.kyverno.io/v1) that requires a Notation signature
 * chaining to the AWS Signer root ({@link AWS_SIGNER_ROOT}) on every pod image from `registries`,
 * with the digest verified (`verifyDigest`) and the signature required (`required`).
 *
 * Kyverno 1.19 verifies Notary signatures in process against the certificates given here (a `ca`
 * trust store, trusted identity `*`, no Notation plugins): it cannot check the signing profile a
 * Signer signature names, and Signer's `notary.x509.signingAuthority` scheme with its
 * `com.amazonaws.signer.notation.plugin` verification plugin is not verified by that path (see
 * the package README, "What the cluster verifies").
 */
export class ImageSignaturePolicy extends Construct {
  readonly policyName: string;
  readonly globs: readonly string[];

  constructor(scope: Construct, id: string, props: ImageSignaturePolicyProps) {
    super(scope, id);
    this.policyName = props.name ?? 'flotilla-image-signatures';
    if (props.registries.length === 0) throw new Error(`image signature policy '${this.policyName}': 'registries' is empty; list the registries whose images CI signs, e.g. the account's ECR host`);
    for (const registry of props.registries) {
      if (!REGISTRY.test(registry) || registry.includes('*')) {
        throw new Error(`image signature policy '${this.policyName}': registry '${registry}' must be a host with an optional path and no wildcard, e.g. '222222222222.dkr.ecr.eu-north-1.amazonaws.com'`);
      }
    }
    const exempt = [...SIGNATURE_EXEMPT_SYSTEM_NAMESPACES];
    for (const { namespace, reason } of props.exemptNamespaces ?? PLATFORM_ADDON_SIGNATURE_EXEMPTIONS) {
      if (!DNS_LABEL.test(namespace)) throw new Error(`image signature policy '${this.policyName}': exempt namespace '${namespace}' is not a namespace name`);
      if (reason.trim().length < 10) throw new Error(`image signature policy '${this.policyName}': exempt namespace '${namespace}' needs a reason (why its images cannot be signed)`);
      exempt.push(namespace);
    }
    const timeoutSeconds = props.timeoutSeconds ?? 15;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 30) {
      throw new Error(`image signature policy '${this.policyName}': 'timeoutSeconds' (${timeoutSeconds}) must be 1 to 30 (the API server's webhook limit)`);
    }
    this.globs = [...new Set(props.registries.map(registryGlob))].sort();
    const verified = (list: string) =>
      `!('${list}' in images) || images.${list}.map(image, verifyImageSignatures(image, [attestors.awssigner])).all(e, e > 0)`;

    new kyverno.ImageValidatingPolicyV1(this, 'Resource', {
      metadata: { name: this.policyName },
      spec: {
        validationActions: [props.enforcement as string as kyverno.ImageValidatingPolicyV1SpecValidationActions],
        failurePolicy: (props.failurePolicy ?? WebhookFailurePolicy.FAIL) as string as kyverno.ImageValidatingPolicyV1SpecFailurePolicy,
        webhookConfiguration: { timeoutSeconds },
        // Admission only: background re-verification would need registry access in the reports controller too.
        evaluation: { background: { enabled: false } },
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }],
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...new Set(exempt)].sort() }] },
        },
        matchImageReferences: this.globs.map((glob) => ({ glob })),
        credentials: { providers: [kyverno.ImageValidatingPolicyV1SpecCredentialsProviders.AMAZON] },
        attestors: [{ name: 'awssigner', notary: { certs: { value: AWS_SIGNER_ROOT.pem } } }],
        validationConfigurations: { required: true, verifyDigest: true, mutateDigest: false },
        validations: [
          { expression: verified('containers'), message: 'an image has no valid AWS Signer (Notation) signature; sign it in CI with the images signing profile' },
          { expression: verified('initContainers'), message: 'an init container image has no valid AWS Signer (Notation) signature; sign it in CI with the images signing profile' },
        ],
      },
    });
  }
}
