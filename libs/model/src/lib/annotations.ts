/**
 * On a HelmRelease (or Crossplane Provider): the API groups whose CRDs it installs, comma-separated. Written by
 * the constructs that install CRDs, read by the check that every custom resource's CRD comes from a dependency.
 */
export const INSTALLS_CRDS_ANNOTATION = 'flotilla.dev/installs-crds';

/**
 * On a HelmRelease: namespaces, other than its own, where the released controller creates pods at run
 * time (e.g. Mountpoint for S3 v2's mount pods in `mount-s3`), comma-separated. Written by `HelmAddon`
 * (`runtimePodNamespaces`), read by the test that every controller's pods pass the cluster's policies.
 */
export const RUNTIME_POD_NAMESPACES_ANNOTATION = 'flotilla.dev/runtime-pod-namespaces';
