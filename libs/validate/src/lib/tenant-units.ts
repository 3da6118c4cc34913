import { findingFor, type Finding, type KubeObject, type RenderedObject } from '@flotilla/model';
import { field, isNamespacedKind } from './cluster-index';
import { RBAC_GROUP, type Rule } from './rbac-rule';

/** Flux's own controller accounts: a Kustomization naming one (or none) is a platform unit. */
const FLUX_CONTROLLER_ACCOUNTS = new Set(['kustomize-controller', 'helm-controller', 'source-controller', 'notification-controller', 'image-reflector-controller', 'image-automation-controller', 'default']);


/** The resource name Kubernetes gives a kind: lowercase plural (`Ingress` → `ingresses`, `PodIdentityAssociation` → `podidentityassociations`). */
export function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** A tenant unit: a Flux Kustomization that impersonates a team account (not a Flux controller). */
interface TenantUnit {
  readonly kustomization: RenderedObject;
  readonly account: string;
  readonly accountNamespace: string;
  readonly path: string;
  readonly targetNamespace?: string;
}

function tenantUnits(objects: readonly RenderedObject[]): TenantUnit[] {
  const units: TenantUnit[] = [];
  for (const rendered of objects) {
    const { object } = rendered;
    if (object.kind !== 'Kustomization' || !object.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) continue;
    const account = field<string>(object.spec, 'serviceAccountName');
    const path = field<string>(object.spec, 'path');
    if (!account || FLUX_CONTROLLER_ACCOUNTS.has(account) || typeof path !== 'string') continue;
    const targetNamespace = field<string>(object.spec, 'targetNamespace');
    units.push({
      kustomization: rendered,
      account,
      accountNamespace: object.metadata.namespace ?? 'flux-system',
      path: path.replace(/^\.\//, '').replace(/\/+$/, ''),
      ...(targetNamespace ? { targetNamespace } : {}),
    });
  }
  return units;
}

/** `apiGroup/resource` pairs the account may create in `namespace`, from the cluster's RoleBindings and Roles. */
function grantsOf(objects: readonly RenderedObject[], account: string, accountNamespace: string, namespace: string): Set<string> {
  const grants = new Set<string>();
  const roles = new Map<string, KubeObject>();
  for (const { object } of objects) {
    if (groupOf(object.apiVersion) !== RBAC_GROUP) continue;
    if (object.kind === 'Role' && object.metadata.namespace === namespace) roles.set(`Role/${object.metadata.name}`, object);
    if (object.kind === 'ClusterRole') roles.set(`ClusterRole/${object.metadata.name}`, object);
  }
  for (const { object } of objects) {
    if (object.kind !== 'RoleBinding' || groupOf(object.apiVersion) !== RBAC_GROUP || object.metadata.namespace !== namespace) continue;
    const subjects = (object as { subjects?: { kind?: string; name?: string; namespace?: string }[] }).subjects ?? [];
    if (!subjects.some((s) => s.kind === 'ServiceAccount' && s.name === account && (s.namespace ?? namespace) === accountNamespace)) continue;
    const ref = (object as { roleRef?: { kind?: string; name?: string } }).roleRef;
    const role = ref ? roles.get(`${ref.kind}/${ref.name}`) : undefined;
    for (const rule of ((role as { rules?: Rule[] } | undefined)?.rules ?? [])) {
      if (!(rule.verbs ?? []).some((verb) => verb === 'create' || verb === '*') || (rule.resourceNames ?? []).length > 0) continue;
      for (const group of rule.apiGroups ?? []) for (const resource of rule.resources ?? []) grants.add(`${group}/${resource}`);
    }
  }
  return grants;
}

const allowed = (grants: Set<string>, group: string, resource: string) =>
  grants.has(`${group}/${resource}`) || grants.has(`${group}/*`) || grants.has(`*/${resource}`) || grants.has('*/*');

/**
 * Tenant units (Flux Kustomizations that apply as a team's account) may contain only namespaced
 * objects of the kinds that account may create in its target namespace (the team's
 * `flux-tenant-reconciler` Role), and no RBAC at all: a team's Roles and bindings are
 * platform-owned (the teams unit), so a unit cannot grant more than the team's own roles. Kubernetes
 * would refuse these objects at apply time, after the merge; this says so before it, naming the unit.
 */
export function checkTenantUnits(objects: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  const units = tenantUnits(objects);
  if (units.length === 0) return findings;
  const grantCache = new Map<string, Set<string>>();
  const rbac = objects.filter(({ object }) => groupOf(object.apiVersion) === RBAC_GROUP);
  // Each unit's folder, found by the tails of every object's folder (a file may be relative or absolute).
  const byPath = new Map(units.map((unit) => [unit.path, unit]));
  const contents = new Map<TenantUnit, RenderedObject[]>();
  for (const rendered of objects) {
    const parts = rendered.file.replace(/\\/g, '/').split('/').slice(0, -1);
    for (let i = 0; i < parts.length; i++) {
      const unit = byPath.get(parts.slice(i).join('/'));
      if (!unit) continue;
      if (rendered.cluster !== undefined && unit.kustomization.cluster !== undefined && rendered.cluster !== unit.kustomization.cluster) break;
      let list = contents.get(unit);
      if (!list) contents.set(unit, (list = []));
      list.push(rendered);
      break;
    }
  }
  for (const [unit, members] of contents) {
    const unitName = unit.kustomization.object.metadata.name;
    const where = `tenant unit '${unitName}' (Kustomization ${unit.accountNamespace}/${unitName}, applied as ${unit.accountNamespace}/${unit.account})`;
    for (const rendered of members) {
      const { object } = rendered;
      if (object.kind === 'Kustomization' && object.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
      const group = groupOf(object.apiVersion);
      const at = { file: rendered.file, object, ...(rendered.cluster !== undefined ? { cluster: rendered.cluster } : {}) };
      if (group === RBAC_GROUP) {
        findings.push(
          findingFor(at, {
            severity: 'error',
            code: 'tenancy/rbac',
            message: `${where} contains ${object.kind} ${object.metadata.name}: tenant units may not carry RBAC, which could grant more than the team's own roles`,
            fix: "remove it; a team's Roles and bindings are platform-owned (TeamConfig 'workloadSecrets' and 'peopleRole' in the teams unit)",
          }),
        );
        continue;
      }
      if (isNamespacedKind(object.apiVersion, object.kind) === false) {
        findings.push(
          findingFor(at, {
            severity: 'error',
            code: 'tenancy/cluster-scoped',
            message: `${where} contains the cluster-scoped ${object.kind} ${object.metadata.name}: tenant units may contain only namespaced objects`,
            fix: 'move it to a platform unit (the teams unit renders a team\'s cluster-scoped objects, e.g. its S3 PersistentVolumes)',
          }),
        );
        continue;
      }
      const namespace = unit.targetNamespace ?? object.metadata.namespace;
      if (!namespace) continue;
      const key = `${unit.accountNamespace}/${unit.account}@${namespace}`;
      let grants = grantCache.get(key);
      if (!grants) grantCache.set(key, (grants = grantsOf(rbac, unit.account, unit.accountNamespace, namespace)));
      // No RoleBinding of the account in this cluster (a missing account is the reference check's
      // finding): Kubernetes refuses the whole unit at apply, and there is no list to judge kinds by.
      if (grants.size === 0) continue;
      const resource = resourceOf(object.kind);
      if (!allowed(grants, group, resource)) {
        const kinds = [...grants].sort().join(', ');
        findings.push(
          findingFor(at, {
            severity: 'error',
            code: 'tenancy/kind-not-allowed',
            message: `${where} contains ${object.kind} ${object.metadata.name}, which is not an allowed tenant kind: ${unit.account} may create only ${kinds} in namespace ${namespace}`,
            fix: `remove it or render it from a platform unit; the allowed tenant kinds are the team's Flux Role (TENANT_RECONCILE_RULES in @flotilla/workloads)`,
          }),
        );
      }
    }
  }
  return findings;
}
