import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { tenantLabels, type TeamRef } from './tenant-labels';

const { k8s } = kplus;

/** Namespace of the Flux controllers, where tenant accounts live. */
export const FLUX_NAMESPACE = 'flux-system';

/**
 * What a team's apps may reconcile in its namespace. Deliberately not `*`: the team's
 * NetworkPolicies, ResourceQuota, LimitRange, RBAC and SecretStore are platform-owned (the tenants
 * unit renders them), so a team's Kustomization cannot loosen its own fence, and Secrets come only
 * from ESO or the CSI driver.
 */
export const TENANT_RECONCILE_RULES: readonly { apiGroups: string[]; resources: string[] }[] = [
  { apiGroups: [''], resources: ['configmaps', 'services', 'serviceaccounts', 'persistentvolumeclaims'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'] },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways', 'httproutes'] },
  { apiGroups: ['configuration.konghq.com'], resources: ['kongplugins', 'kongconsumers', 'kongupstreampolicies'] },
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'] },
  { apiGroups: ['secrets-store.csi.x-k8s.io'], resources: ['secretproviderclasses'] },
  { apiGroups: ['iam.services.k8s.aws'], resources: ['roles'] },
  { apiGroups: ['eks.services.k8s.aws'], resources: ['podidentityassociations'] },
  { apiGroups: ['rds.services.k8s.aws'], resources: ['dbinstances', 'dbsubnetgroups'] },
  { apiGroups: ['s3.services.k8s.aws'], resources: ['buckets'] },
  { apiGroups: ['services.k8s.aws'], resources: ['fieldexports'] },
];

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

export interface TeamFluxTenantProps {
  readonly team: TeamRef;
  readonly serviceAccountName: string;
}

/**
 * The Flux tenant of a team: a ServiceAccount in `flux-system` that the team's Kustomizations
 * impersonate, bound by a RoleBinding in the team namespace (only there) to a namespace-scoped Role.
 */
export class TeamFluxTenant extends Construct {
  constructor(scope: Construct, id: string, props: TeamFluxTenantProps) {
    super(scope, id);
    const labels = { ...tenantLabels(props.team) };
    const namespace = props.team.namespace;
    const roleName = 'flux-tenant-reconciler';
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.serviceAccountName, namespace: FLUX_NAMESPACE, labels },
      automountServiceAccountToken: false,
    });
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: roleName, namespace, labels },
      rules: TENANT_RECONCILE_RULES.map((rule) => ({ apiGroups: rule.apiGroups, resources: rule.resources, verbs: VERBS })),
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: props.serviceAccountName, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: FLUX_NAMESPACE }],
    });
  }
}
