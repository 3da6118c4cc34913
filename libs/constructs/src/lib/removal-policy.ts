/**
 * What happens to the AWS resource when its Kubernetes object is deleted (or pruned by Flux).
 * Stateful resources default to {@link RemovalPolicy.RETAIN}.
 */
export enum RemovalPolicy {
  /** Keep the AWS resource; only the Kubernetes object goes. */
  RETAIN = 'retain',
  /** Delete the AWS resource with the object. */
  DESTROY = 'destroy',
}

export const ACK_DELETION_POLICY_ANNOTATION = 'services.k8s.aws/deletion-policy';

/** The ACK annotation for a removal policy (`retain` | `delete`). */
export function ackDeletionPolicy(policy: RemovalPolicy): Record<string, string> {
  return { [ACK_DELETION_POLICY_ANNOTATION]: policy === RemovalPolicy.RETAIN ? 'retain' : 'delete' };
}

/** Crossplane `spec.deletionPolicy` for a cluster-scoped managed resource. */
export function crossplaneDeletionPolicy(policy: RemovalPolicy): 'Orphan' | 'Delete' {
  return policy === RemovalPolicy.RETAIN ? 'Orphan' : 'Delete';
}
