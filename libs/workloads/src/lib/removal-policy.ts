/** What happens to the AWS resource when its Kubernetes object is deleted (e.g. pruned by Flux). */
export enum RemovalPolicy {
  /** Keep the AWS resource (ACK `services.k8s.aws/deletion-policy: retain`). */
  RETAIN = 'retain',
  /** Delete the AWS resource with the object. */
  DESTROY = 'delete',
}
