import { WorkloadValidationError } from './validation-error';

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-admission/). */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/**
 * A tenant namespace whose pods cannot meet "restricted" under Pod Security Admission, e.g. a
 * read-only hostPath (PSA has no per-path exemption, Gatekeeper does). `audit` and `warn` stay
 * `restricted`, and Gatekeeper's `FlotillaRestricted` still enforces everything but the exempted
 * workload's volume type.
 */
export interface PodSecurityExemption {
  /** The PSA level enforced instead of `restricted`. */
  readonly enforce: Exclude<PodSecurityLevel, 'restricted'>;
  /** The workload that needs it and why (kept as an annotation for reviewers). */
  readonly reason: string;
}

export const POD_SECURITY_REASON_ANNOTATION = 'flotilla.dev/pod-security-exemption';

/**
 * The `pod-security.kubernetes.io/*` labels of a tenant namespace: enforce `restricted` (or the
 * exemption's level), audit and warn `restricted`, every version pinned to the cluster's
 * Kubernetes version (`v1.35`) so a control-plane upgrade does not change the profile unseen.
 */
export function podSecurityLabels(kubernetesVersion: string, exemption?: PodSecurityExemption): Record<string, string> {
  if (!/^\d+\.\d+$/.test(kubernetesVersion)) {
    throw new WorkloadValidationError('workloads/team', `'kubernetesVersion' ('${kubernetesVersion}') must be a minor version such as '1.35' (the cluster's kubernetesVersion)`);
  }
  if (exemption && !exemption.reason.trim()) {
    throw new WorkloadValidationError('workloads/team', `'podSecurity.reason' is empty; name the workload that needs '${exemption.enforce}' and why`);
  }
  const version = `v${kubernetesVersion}`;
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    labels[`pod-security.kubernetes.io/${mode}`] = mode === 'enforce' && exemption ? exemption.enforce : 'restricted';
    labels[`pod-security.kubernetes.io/${mode}-version`] = version;
  }
  return labels;
}
