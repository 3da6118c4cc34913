/**
 * On a HelmRelease (or Crossplane Provider): the API groups whose CRDs it installs, comma-separated. Written by
 * the constructs that install CRDs, read by the check that every custom resource's CRD comes from a dependency.
 */
export const INSTALLS_CRDS_ANNOTATION = 'flotilla.dev/installs-crds';

/**
 * On a ConfigMap: the data key that holds an OpenTelemetry Collector config, whose `prometheus`
 * receiver's scrape jobs `flotilla validate` checks against the cluster's workloads and charts.
 */
export const SCRAPE_CONFIG_ANNOTATION = 'flotilla.dev/scrape-config';

/**
 * On a team Namespace: the people role the teams unit binds there (`read-only`, `edit-no-secrets`, `edit`).
 * Written by `Team` (@flotilla/workloads); `flotilla validate` holds every human binding of a `read-only`
 * namespace to read verbs (no pods create, exec, attach, port-forward, workload edits or Secrets).
 */
export const PEOPLE_ACCESS_ANNOTATION = 'flotilla.dev/people-access';

/**
 * On a team NetworkPolicy `allow-aws-<workload>`: the AWS APIs (endpoint service names, comma-separated) and the
 * credential source (`pod-identity` or `irsa`) of the workload it opens egress for. Written by the teams unit
 * (TeamConfig `awsEgress`), read by the check that every workload's declared AWS use has a network path.
 */
export const AWS_SERVICES_ANNOTATION = 'flotilla.dev/aws-services';
export const AWS_CREDENTIALS_ANNOTATION = 'flotilla.dev/aws-credentials';

/**
 * The EKS Pod Identity Agent's credentials endpoint on every node, as pods see it (link-local): the SDKs read
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/v1/credentials` (IPv4 clusters) or
 * `http://[fd00:ec2::23]/v1/credentials` (IPv6 clusters), port 80.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html
 */
export const POD_IDENTITY_AGENT = { ipv4: '169.254.170.23/32', ipv6: 'fd00:ec2::23/128', port: 80 } as const;

/**
 * On a HelmRelease: namespaces, other than its own, where the released controller creates pods at run
 * time (e.g. Mountpoint for S3 v2's mount pods in `mount-s3`), comma-separated. Written by `HelmAddon`
 * (`runtimePodNamespaces`), read by the test that every controller's pods pass the cluster's policies.
 */
export const RUNTIME_POD_NAMESPACES_ANNOTATION = 'flotilla.dev/runtime-pod-namespaces';
