import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { tenantLabels, type TeamRef } from './tenant-labels';

const { k8s } = kplus;

/**
 * What a team's people may do in their namespace.
 *
 * - `read-only`: the namespaced Role `<team>-people` with read verbs only: workloads, pods and their
 *   logs, Services, ConfigMaps, events and the team's custom resources; no `secrets`, no create of
 *   anything (no pods, no workload controllers), no `pods/exec`, `pods/attach` or
 *   `pods/portforward`. "No direct access": every change goes through Git. What prod uses.
 * - `edit-no-secrets`: the namespaced Role `<team>-people`: edit workloads, Services, ConfigMaps,
 *   claims, autoscalers, disruption budgets and Ingresses; read everything else the team runs; no
 *   `secrets` through the API, no `pods/exec` or `pods/attach` and no ServiceAccount impersonation
 *   or tokens. It still creates pods and workloads, and a pod it creates can mount any Secret of the
 *   namespace and run as any of its ServiceAccounts (with their AWS roles): indirect access, which
 *   `flotilla validate` counts as such (`tenancy/direct-access`).
 * - `edit`: the built-in `edit` ClusterRole, bound in the namespace only. It can read every Secret
 *   of the namespace, exec into pods and impersonate the namespace's ServiceAccounts.
 */
export type PeopleRole = 'edit' | 'edit-no-secrets' | 'read-only';

export const PEOPLE_ROLES: readonly PeopleRole[] = ['edit', 'edit-no-secrets', 'read-only'];


const READ = ['get', 'list', 'watch'];
const WRITE = [...READ, 'create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * Rules of `edit-no-secrets`. Never `secrets`, `serviceaccounts/token`, `pods/exec`, `pods/attach`
 * or the `impersonate` verb: each of them reads a Secret or a workload's credentials.
 */
export const PEOPLE_NO_SECRETS_RULES: readonly { apiGroups: string[]; resources: string[]; verbs: string[] }[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods/log', 'pods/status'], verbs: READ },
  { apiGroups: [''], resources: ['pods/portforward', 'pods/eviction'], verbs: ['create'] },
  { apiGroups: [''], resources: ['serviceaccounts', 'endpoints', 'events', 'limitranges', 'resourcequotas', 'replicationcontrollers'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'statefulsets', 'statefulsets/scale', 'replicasets', 'replicasets/scale'], verbs: WRITE },
  { apiGroups: ['apps'], resources: ['daemonsets', 'controllerrevisions'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways', 'httproutes'], verbs: READ },
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets', 'secretstores'], verbs: READ },
  { apiGroups: ['secrets-store.csi.x-k8s.io'], resources: ['secretproviderclasses'], verbs: READ },
  { apiGroups: ['iam.services.k8s.aws'], resources: ['roles'], verbs: READ },
  { apiGroups: ['eks.services.k8s.aws'], resources: ['podidentityassociations'], verbs: READ },
  { apiGroups: ['rds.services.k8s.aws'], resources: ['dbinstances', 'dbsubnetgroups'], verbs: READ },
  { apiGroups: ['s3.services.k8s.aws'], resources: ['buckets'], verbs: READ },
  { apiGroups: ['kustomize.toolkit.fluxcd.io'], resources: ['kustomizations'], verbs: READ },
];

/**
 * Rules of `read-only`: `get`, `list`, `watch` on what `edit-no-secrets` edits or reads, and nothing
 * else: no `secrets`, no `create` of any kind (so no pods, `pods/exec`, `pods/attach`,
 * `pods/portforward` or `pods/eviction`), no ServiceAccount tokens, no impersonation.
 */
export const PEOPLE_READ_ONLY_RULES: readonly { apiGroups: string[]; resources: string[]; verbs: string[] }[] = PEOPLE_NO_SECRETS_RULES.map((rule) => ({
  apiGroups: [...rule.apiGroups],
  resources: rule.resources.filter((resource) => !['pods/portforward', 'pods/eviction'].includes(resource)),
  verbs: READ,
})).filter((rule) => rule.resources.length > 0);

export interface TeamPeopleAccessProps {
  readonly team: TeamRef;
  /** Kubernetes group of the team's people. */
  readonly group: string;
  readonly role: PeopleRole;
}

/** The RoleBinding of a team's group (and for `edit-no-secrets` and `read-only` its Role), in the team namespace only. */
export class TeamPeopleAccess extends Construct {
  /** Name of the RoleBinding (`<team>-edit` or `<team>-people`). */
  readonly bindingName: string;

  constructor(scope: Construct, id: string, props: TeamPeopleAccessProps) {
    super(scope, id);
    const { team } = props;
    const labels = { ...tenantLabels(team) };
    const subjects = [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: props.group }];
    if (props.role === 'edit') {
      this.bindingName = `${team.name}-edit`;
      new k8s.KubeRoleBinding(this, 'Binding', {
        metadata: { name: this.bindingName, namespace: team.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects,
      });
      return;
    }
    this.bindingName = `${team.name}-people`;
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: this.bindingName, namespace: team.namespace, labels },
      rules: (props.role === 'read-only' ? PEOPLE_READ_ONLY_RULES : PEOPLE_NO_SECRETS_RULES).map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
    });
    new k8s.KubeRoleBinding(this, 'Binding', {
      metadata: { name: this.bindingName, namespace: team.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.bindingName },
      subjects,
    });
  }
}
