import { apiGroupOf, type KubeObject } from '@flotilla/model';

// Groups whose kinds are shipped by Kubernetes itself: their files carry the bare kind.
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'rbac.authorization.k8s.io', 'networking.k8s.io',
  'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io',
  'apiextensions.k8s.io', 'admissionregistration.k8s.io', 'certificates.k8s.io', 'events.k8s.io',
  'flowcontrol.apiserver.k8s.io', 'resource.k8s.io', 'apiregistration.k8s.io',
]);

/**
 * The file an object is written to inside its unit folder.
 *
 * `<Kind>[.<group>]_<namespace>_<name>.yaml` for namespaced objects and `<Kind>[.<group>]_<name>.yaml`
 * for cluster-scoped ones. The group is added for custom resources, so an ACK IAM `Role` and an RBAC
 * `Role` of the same name never share a file. `_` cannot occur in Kubernetes names, so the mapping
 * from (group, kind, namespace, name) to file name is one-to-one.
 */
export function fileNameFor(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const group = apiGroupOf(object.apiVersion);
  const kind = BUILT_IN_GROUPS.has(group) ? object.kind : `${object.kind}.${group}`;
  const namespace = object.metadata.namespace;
  return namespace ? `${kind}_${namespace}_${object.metadata.name}.yaml` : `${kind}_${object.metadata.name}.yaml`;
}
