/**
 * On a HelmRelease (or Crossplane Provider): the API groups whose CRDs it installs, comma-separated. Written by
 * the constructs that install CRDs, read by the check that every custom resource's CRD comes from a dependency.
 */
export const INSTALLS_CRDS_ANNOTATION = 'flotilla.dev/installs-crds';

/**
 * On a team Namespace: the people role the teams unit binds there (`read-only`, `edit-no-secrets`, `edit`).
 * Written by `Team` (@flotilla/workloads); `flotilla validate` holds every human binding of a `read-only`
 * namespace to read verbs (no pods create, exec, attach, port-forward, workload edits or Secrets).
 */
export const PEOPLE_ACCESS_ANNOTATION = 'flotilla.dev/people-access';
