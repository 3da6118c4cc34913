import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { constraintFor } from '@flotilla/policy';

/** The constraint's `enforcementAction`: what Gatekeeper does with an image Ratify does not verify. */
export enum SignatureEnforcement {
  /** Reject the pod at admission (and when Ratify cannot answer: fail closed). */
  DENY = 'deny',
  /** Admit it with a warning to the client; Gatekeeper's audit records the violation. */
  WARN = 'warn',
  /** Admit it silently; only the audit records the violation. */
  DRYRUN = 'dryrun',
}

/** Kind of the ConstraintTemplate `policies/supply-chain/imagesignatures` (Rego, Ratify external data). */
export const IMAGE_SIGNATURES_KIND = 'FlotillaImageSignatures';

/**
 * Namespaces every cluster has whose pods the constraint never sees: the control plane, GitOps
 * bootstrap, and the admission path itself (Gatekeeper, and Ratify, which cannot verify its own pods).
 */
export const SIGNATURE_EXEMPT_SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-node-lease', 'kube-public', 'flux-system', 'gatekeeper-system', 'ratify'];

/** A namespace the image policy does not see, and why. */
export interface SignatureExemption {
  readonly namespace: string;
  readonly reason: string;
}

const UPSTREAM_ADDON = 'platform add-on running its chart\'s upstream images, which no fleet profile signs; with a fail-closed check its pods (and so capacity or credentials) could not come back while Ratify is down';

/**
 * The platform add-on namespaces (the same ones the other Gatekeeper constraints exclude): their
 * pods run upstream images outside the signed registries, so the constraint would verify nothing
 * there, and a check that fails closed must not stop Karpenter, ACK or Crossplane from restarting.
 */
export const PLATFORM_ADDON_SIGNATURE_EXEMPTIONS: readonly SignatureExemption[] = ['karpenter', 'external-secrets', 'ack-system', 'crossplane-system', 'reloader', 'kong'].map(
  (namespace) => ({ namespace, reason: UPSTREAM_ADDON }),
);

export interface ImageSignatureConstraintProps {
  /** Constraint name. @default 'image-signatures' */
  readonly name?: string;
  /**
   * Registries (host plus optional path prefix, without wildcards) whose images must carry a valid
   * signature, e.g. the account's ECR host. Images elsewhere are not sent to Ratify.
   */
  readonly registries: readonly string[];
  readonly enforcement: SignatureEnforcement;
  /**
   * Namespaces exempt in addition to {@link SIGNATURE_EXEMPT_SYSTEM_NAMESPACES}, each with its reason.
   *
   * @default PLATFORM_ADDON_SIGNATURE_EXEMPTIONS
   */
  readonly exemptNamespaces?: readonly SignatureExemption[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const REGISTRY = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._/-]+)?$/;

/**
 * Gatekeeper constraint `FlotillaImageSignatures` on Pods: every image from `registries` must be
 * verified by Ratify (provider `ratify-provider`, unit `ratify`) with the Notation verifier the
 * signing unit configures (AWS Signer plugin, the images profile ARN as the only trusted identity,
 * `strict`). When Ratify cannot answer, the template reports a violation, so `deny` fails closed.
 */
export class ImageSignatureConstraint extends Construct {
  readonly constraintName: string;
  readonly registries: readonly string[];
  readonly excludedNamespaces: readonly string[];

  constructor(scope: Construct, id: string, props: ImageSignatureConstraintProps) {
    super(scope, id);
    this.constraintName = props.name ?? 'image-signatures';
    const where = `image signature constraint '${this.constraintName}'`;
    if (props.registries.length === 0) throw new Error(`${where}: 'registries' is empty; list the registries whose images CI signs, e.g. the account's ECR host`);
    for (const registry of props.registries) {
      if (!REGISTRY.test(registry) || registry.includes('*')) {
        throw new Error(`${where}: registry '${registry}' must be a host with an optional path and no wildcard, e.g. '222222222222.dkr.ecr.eu-north-1.amazonaws.com'`);
      }
    }
    const exempt = [...SIGNATURE_EXEMPT_SYSTEM_NAMESPACES];
    for (const { namespace, reason } of props.exemptNamespaces ?? PLATFORM_ADDON_SIGNATURE_EXEMPTIONS) {
      if (!DNS_LABEL.test(namespace)) throw new Error(`${where}: exempt namespace '${namespace}' is not a namespace name`);
      if (reason.trim().length < 10) throw new Error(`${where}: exempt namespace '${namespace}' needs a reason (why its images cannot be signed)`);
      exempt.push(namespace);
    }
    this.registries = [...new Set(props.registries.map((registry) => registry.replace(/\/+$/, '')))].sort();
    this.excludedNamespaces = [...new Set(exempt)].sort();
    const constraint = constraintFor('FlotillaImageSignatures', this.constraintName, {
      enforcementAction: props.enforcement,
      // Pods only: Ratify verifies what is admitted; workload templates are checked before merge.
      match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], excludedNamespaces: [...this.excludedNamespaces] },
      parameters: { registries: [...this.registries] },
    });
    const { apiVersion, kind, metadata, ...rest } = constraint;
    new ApiObject(this, 'Resource', { apiVersion, kind, metadata, ...rest });
  }
}
