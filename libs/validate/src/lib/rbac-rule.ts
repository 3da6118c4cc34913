/** The RBAC API group, and the shape of a Role/ClusterRole rule as the tenancy checks read it. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** One `rules[]` entry of a Role or ClusterRole (fields absent in the object are undefined). */
export interface Rule {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly verbs?: string[];
  readonly resourceNames?: string[];
}
