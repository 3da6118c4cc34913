/**
 * A namespace where a platform controller, not a team or Flux, creates pods at run time, from its own
 * upstream image and with a pod spec the fleet does not render. The Gatekeeper constraints that such
 * pods cannot meet by construction (image registry and digest, resource limits, team labels, the
 * namespace's default ServiceAccount) skip the namespace; every other constraint (Pod Security
 * restricted, host isolation, run as non-root) still applies to it.
 */
export interface ControllerPodNamespace {
  /** The namespace; only the controller writes pods there (no tenant Flux account can). */
  readonly namespace: string;
  /** Which controller creates the pods, and its HelmRelease. */
  readonly controller: string;
  /** Why its pods cannot meet the skipped constraints. */
  readonly reason: string;
}

/** Where Mountpoint for Amazon S3 CSI driver v2 creates its Mountpoint pods (chart value `mountpointPod.namespace`). */
export const MOUNTPOINT_POD_NAMESPACE = 'mount-s3';

/** Every controller-pod namespace of the platform add-ons; one entry per add-on that creates pods at run time. */
export const CONTROLLER_POD_NAMESPACES: readonly ControllerPodNamespace[] = [
  {
    namespace: MOUNTPOINT_POD_NAMESPACE,
    controller: 'Mountpoint for Amazon S3 CSI driver v2 (HelmRelease kube-system/aws-mountpoint-s3-csi-driver)',
    reason:
      'the node plugin creates one pod per volume and node (mppod.Creator, v2.1.0) from public.ecr.aws/mountpoint-s3-csi-driver by tag, without resource limits or labels, on the namespace default ServiceAccount; it runs non-root with ALL capabilities dropped and RuntimeDefault seccomp',
  },
];
