/**
 * API groups served by Kubernetes itself (no CustomResourceDefinition installs them), for the Kubernetes versions
 * the schemas cover. The one answer to "is this group built in": file names (bare kind), CRD-order checks and
 * tests all read it; libs/schemas' test keeps it equal to the built-ins of the pinned OpenAPI definitions.
 */
export const BUILT_IN_API_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

/** Whether Kubernetes serves `group` itself (`''` is the core group); every other group needs a CRD. */
export function isBuiltInApiGroup(group: string): boolean {
  return BUILT_IN_API_GROUPS.has(group);
}
