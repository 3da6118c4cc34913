import { apiGroupOf, isBuiltInApiGroup, type KubeObject } from '@flotilla/model';

/**
 * The file an object is written to inside its unit folder.
 *
 * `<Kind>[.<group>]_<namespace>_<name>.yaml` for namespaced objects and `<Kind>[.<group>]_<name>.yaml`
 * for cluster-scoped ones. The group is added for custom resources (groups Kubernetes does not serve itself), so an ACK IAM `Role` and an RBAC
 * `Role` of the same name never share a file. `_` cannot occur in Kubernetes names, so the mapping
 * from (group, kind, namespace, name) to file name is one-to-one.
 */
export function fileNameFor(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const group = apiGroupOf(object.apiVersion);
  const kind = isBuiltInApiGroup(group) ? object.kind : `${object.kind}.${group}`;
  const namespace = object.metadata.namespace;
  return namespace ? `${kind}_${namespace}_${object.metadata.name}.yaml` : `${kind}_${object.metadata.name}.yaml`;
}
