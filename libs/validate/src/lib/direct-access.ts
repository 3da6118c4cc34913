import { PEOPLE_ACCESS_ANNOTATION, findingFor, type Finding, type KubeObject, type RenderedObject } from '@flotilla/model';
import { byCluster, field, listOf, type ClusterIndex } from './cluster-index';
import { RBAC_GROUP, type Rule } from './rbac-rule';


interface Subject {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}

/**
 * Verbs on resources that reach a namespace's Secrets or its workloads' credentials, directly or
 * through a pod: a pod (or a controller that makes pods) can mount any Secret of the namespace and
 * run as any of its ServiceAccounts, with their Pod Identity or IRSA roles; exec and attach read a
 * running pod's mounted secrets and credentials; port-forward reaches its unauthenticated admin ports.
 */
const PATHS: readonly { group: string; resources: readonly string[]; verbs: readonly string[]; why: string }[] = [
  { group: '', resources: ['secrets'], verbs: ['get', 'list', 'watch'], why: 'reads Secrets' },
  { group: '', resources: ['pods'], verbs: ['create'], why: 'a pod it creates mounts any Secret and runs as any ServiceAccount' },
  { group: '', resources: ['replicationcontrollers'], verbs: ['create', 'update', 'patch'], why: 'its pods mount any Secret and run as any ServiceAccount' },
  { group: 'apps', resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: ['create', 'update', 'patch'], why: 'its pods mount any Secret and run as any ServiceAccount' },
  { group: 'batch', resources: ['jobs', 'cronjobs'], verbs: ['create', 'update', 'patch'], why: 'its pods mount any Secret and run as any ServiceAccount' },
  // Exec and attach over WebSockets are authorised as `get` on older clusters, `create` since 1.31.
  { group: '', resources: ['pods/exec', 'pods/attach'], verbs: ['create', 'get'], why: "reads a running pod's mounted Secrets and AWS credentials" },
  { group: '', resources: ['pods/portforward'], verbs: ['create', 'get'], why: "reaches a pod's ports past its NetworkPolicies" },
  { group: '', resources: ['serviceaccounts/token'], verbs: ['create'], why: "mints a ServiceAccount's token (its IRSA role)" },
  { group: '', resources: ['serviceaccounts'], verbs: ['impersonate'], why: 'acts as a ServiceAccount' },
];

/** Built-in ClusterRoles that bindings name without the cluster declaring them. */
const BUILTIN_CLUSTER_ROLES: Readonly<Record<string, readonly Rule[]>> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  // `admin` and `edit` aggregate create on pods, workloads, exec, attach, port-forward and Secrets read.
  admin: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  edit: [
    { apiGroups: [''], resources: ['secrets', 'pods', 'pods/exec', 'pods/attach', 'pods/portforward', 'replicationcontrollers', 'serviceaccounts'], verbs: ['*', 'impersonate'] },
    { apiGroups: ['apps', 'batch'], resources: ['*'], verbs: ['*'] },
  ],
  view: [],
};

const matches = (list: readonly string[] | undefined, value: string) => (list ?? []).some((entry) => entry === value || entry === '*');

/** The paths to Secrets and credentials a set of RBAC rules opens: `<verb> <resource>: <why>`. */
export function directAccessPaths(rules: readonly Rule[]): string[] {
  const paths: string[] = [];
  for (const path of PATHS) {
    for (const resource of path.resources) {
      const verbs = path.verbs.filter((verb) => rules.some((rule) => matches(rule.apiGroups, path.group) && matches(rule.resources, resource) && matches(rule.verbs, verb)));
      if (verbs.length > 0) paths.push(`${verbs.join('/')} ${path.group ? `${path.group}/` : ''}${resource} (${path.why})`);
    }
  }
  return paths;
}

const isHuman = (subject: Subject) => subject.kind === 'Group' || subject.kind === 'User';

/** ServiceAccounts of the namespace with an AWS role: a Pod Identity association or an IRSA annotation. */
function awsRoles(index: ClusterIndex, namespace: string): string[] {
  const accounts = new Set<string>();
  for (const { object } of index.ofKind('eks.services.k8s.aws', 'PodIdentityAssociation')) {
    if (field(object.spec, 'namespace') === namespace) accounts.add(String(field(object.spec, 'serviceAccount')));
  }
  for (const { object } of index.ofKind('', 'ServiceAccount')) {
    if (object.metadata.namespace === namespace && object.metadata.annotations?.['eks.amazonaws.com/role-arn']) accounts.add(object.metadata.name);
  }
  return [...accounts].sort();
}

/**
 * "No direct access": in a namespace whose people role is `read-only` (annotation
 * `flotilla.dev/people-access` on the Namespace, written by the teams unit), no person (Group or User
 * subject of a RoleBinding there, or of a ClusterRoleBinding) may hold a path to the namespace's
 * Secrets or its workloads' AWS roles. `pods create` counts as such a path, as do create/update of
 * workload controllers, `pods/exec`, `pods/attach`, `pods/portforward`, ServiceAccount tokens and
 * impersonation, besides reading Secrets. ServiceAccounts (Flux's tenant account) are the GitOps path
 * and are not judged here.
 */
export function checkDirectAccess(objects: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  for (const index of byCluster(objects)) {
    const readOnly = new Set(
      index
        .ofKind('', 'Namespace')
        .filter(({ object }) => object.metadata.annotations?.[PEOPLE_ACCESS_ANNOTATION] === 'read-only')
        .map(({ object }) => object.metadata.name),
    );
    if (readOnly.size === 0) continue;
    const roleRules = (ref: { kind?: string; name?: string } | undefined, namespace: string | undefined): readonly Rule[] | undefined => {
      if (!ref?.name) return [];
      const declared = ref.kind === 'ClusterRole' ? index.get(RBAC_GROUP, 'ClusterRole', undefined, ref.name) : index.get(RBAC_GROUP, 'Role', namespace, ref.name);
      if (declared) return listOf<Rule>((declared.object as { rules?: unknown }).rules);
      return ref.kind === 'ClusterRole' ? BUILTIN_CLUSTER_ROLES[ref.name] : [];
    };
    const bindings = [...index.ofKind(RBAC_GROUP, 'RoleBinding'), ...index.ofKind(RBAC_GROUP, 'ClusterRoleBinding')];
    for (const rendered of bindings) {
      const object = rendered.object as KubeObject & { subjects?: Subject[]; roleRef?: { kind?: string; name?: string } };
      const namespaces = object.kind === 'RoleBinding' ? [object.metadata.namespace ?? 'default'].filter((ns) => readOnly.has(ns)) : [...readOnly].sort();
      if (namespaces.length === 0) continue;
      const people = listOf<Subject>(object.subjects).filter(isHuman);
      if (people.length === 0) continue;
      // A missing Role grants nothing (the reference check reports it); a ClusterRole the cluster
      // neither declares nor has built in has unknown rules, so say so.
      const rules = roleRules(object.roleRef, object.metadata.namespace);
      const paths = rules === undefined ? [`every verb of ${object.roleRef?.kind} ${object.roleRef?.name} (not declared in the cluster and not a built-in role Flotilla knows)`] : directAccessPaths(rules);
      if (paths.length === 0) continue;
      for (const namespace of namespaces) {
        const roles = awsRoles(index, namespace);
        const who = people.map((s) => `${s.kind} ${s.name}`).join(', ');
        findings.push(
          findingFor(
            { file: rendered.file, object, ...(rendered.cluster !== undefined ? { cluster: rendered.cluster } : {}) },
            {
              severity: 'error',
              code: 'tenancy/direct-access',
              path: 'roleRef',
              message:
                `namespace ${namespace} allows people read-only access (${PEOPLE_ACCESS_ANNOTATION}: read-only), but ${object.kind} ${object.metadata.name} gives ${who} ` +
                `${object.roleRef?.kind} ${object.roleRef?.name}, which ${paths.join('; ')}: that is access to the namespace's Secrets` +
                (roles.length > 0 ? ` and the AWS roles of ServiceAccounts ${roles.join(', ')}` : ' and its workloads\' AWS roles'),
              fix: "bind people to the read-only people role (TeamConfig peopleRole 'read-only') and make changes through Git; or, for an environment that allows direct access, set the team's peopleRole there",
            },
          ),
        );
      }
    }
  }
  return findings;
}
