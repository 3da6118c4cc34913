import { apiGroupOf, findingFor, type Finding, type RenderedObject } from '@flotilla/model';
import { field, type ClusterIndex } from './cluster-index';

const RBAC = 'rbac.authorization.k8s.io';

/** ClusterRoles every cluster has: the user-facing defaults and the `system:` ones. */
const BUILTIN_CLUSTER_ROLES: ReadonlySet<string> = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/** Objects a HelmRelease, a Crossplane DeploymentRuntimeConfig or EKS creates without rendering them. */
function createdServiceAccounts(index: ClusterIndex): Set<string> {
  const created = new Set<string>();
  // Charts follow the `serviceAccount: { create, name }` convention, at any depth of their values.
  const visit = (value: unknown, namespace: string, depth: number) => {
    if (!value || typeof value !== 'object' || depth > 6) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, namespace, depth + 1);
      return;
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (/^serviceAccount$/i.test(key) && child && typeof child === 'object') {
        const name = (child as { name?: unknown }).name;
        if (typeof name === 'string' && (child as { create?: unknown }).create !== false) created.add(`${namespace}/${name}`);
      }
      visit(child, namespace, depth + 1);
    }
  };
  for (const hr of index.ofKind('helm.toolkit.fluxcd.io', 'HelmRelease')) {
    visit(field(hr.object.spec, 'values'), field<string>(hr.object.spec, 'targetNamespace') ?? hr.object.metadata.namespace ?? 'default', 0);
  }
  for (const config of index.ofKind('pkg.crossplane.io', 'DeploymentRuntimeConfig')) {
    const name = field<string>(config.object.spec, 'serviceAccountTemplate', 'metadata', 'name');
    // Provider pods (and their service accounts) run in Crossplane's namespace, wherever that is.
    if (name) created.add(`*/${name}`);
  }
  return created;
}

/** Resolves references between objects that the API server accepts but controllers fail on. */
const FLUX_BOOTSTRAP_ACCOUNTS = new Set(['kustomize-controller', 'helm-controller', 'source-controller', 'notification-controller', 'image-reflector-controller', 'image-automation-controller']);

export function checkObjectReferences(index: ClusterIndex): Finding[] {
  const findings: Finding[] = [];
  const cluster = index.cluster ?? '(none)';
  let created: Set<string> | undefined;
  const serviceAccountExists = (namespace: string, name: string) => {
    if (name === 'default' || index.has('', 'ServiceAccount', namespace, name)) return true;
    // `flux bootstrap` installs the controllers' own accounts (gotk-components.yaml, not rendered by synth).
    if (namespace === 'flux-system' && FLUX_BOOTSTRAP_ACCOUNTS.has(name)) return true;
    created ??= createdServiceAccounts(index);
    return created.has(`${namespace}/${name}`) || created.has(`*/${name}`);
  };
  const missing = (rendered: RenderedObject, code: string, path: string, message: string, fix: string) =>
    findings.push(findingFor(rendered, { severity: 'error', code, path, message: `${message} does not exist in cluster ${cluster}`, fix }));

  for (const rendered of index.ofKind('autoscaling', 'HorizontalPodAutoscaler')) {
    const ref = field<{ apiVersion?: string; kind?: string; name?: string }>(rendered.object.spec, 'scaleTargetRef');
    if (!ref?.kind || !ref.name) continue;
    const namespace = rendered.object.metadata.namespace ?? 'default';
    const group = apiGroupOf(ref.apiVersion ?? '');
    if (index.has(group, ref.kind, namespace, ref.name)) continue;
    const candidates = index.ofKind(group, ref.kind).filter((o) => (o.object.metadata.namespace ?? 'default') === namespace).map((o) => o.object.metadata.name);
    missing(
      rendered,
      'ref/missing-scale-target',
      'spec.scaleTargetRef',
      `scale target ${ref.kind} ${namespace}/${ref.name} (${ref.apiVersion ?? 'no apiVersion'})`,
      candidates.length > 0 ? `point spec.scaleTargetRef.name at one of: ${candidates.sort().join(', ')}` : `add the ${ref.kind} ${ref.name} or fix spec.scaleTargetRef (apiVersion, kind and name)`,
    );
  }

  for (const [kind, namespaced] of [['RoleBinding', true], ['ClusterRoleBinding', false]] as const) {
    for (const rendered of index.ofKind(RBAC, kind)) {
      const ref = rendered.object.roleRef as { kind?: string; name?: string } | undefined;
      if (!ref?.name || !ref.kind) continue;
      const namespace = rendered.object.metadata.namespace ?? 'default';
      const exists =
        ref.kind === 'ClusterRole'
          ? BUILTIN_CLUSTER_ROLES.has(ref.name) || ref.name.startsWith('system:') || index.has(RBAC, 'ClusterRole', undefined, ref.name)
          : namespaced && ref.kind === 'Role' && index.has(RBAC, 'Role', namespace, ref.name);
      if (exists) continue;
      missing(
        rendered,
        'ref/missing-role',
        'roleRef.name',
        `${ref.kind} ${ref.kind === 'Role' ? `${namespace}/` : ''}${ref.name}`,
        ref.kind === 'Role' && !namespaced
          ? 'a ClusterRoleBinding can only refer to a ClusterRole: set roleRef.kind: ClusterRole'
          : `add the ${ref.kind} ${ref.name}${ref.kind === 'Role' ? ` in namespace ${namespace}` : ''} or refer to an existing one (built in: ${[...BUILTIN_CLUSTER_ROLES].join(', ')})`,
      );
    }
  }

  for (const rendered of index.ofKind('eks.services.k8s.aws', 'PodIdentityAssociation')) {
    const namespace = field<string>(rendered.object.spec, 'namespace');
    const name = field<string>(rendered.object.spec, 'serviceAccount');
    if (!namespace || !name || serviceAccountExists(namespace, name)) continue;
    missing(
      rendered,
      'ref/missing-service-account',
      'spec.serviceAccount',
      `ServiceAccount ${namespace}/${name}`,
      `add the ServiceAccount ${namespace}/${name}, or fix spec.namespace/spec.serviceAccount to name the account the pods run as`,
    );
  }

  for (const rendered of index.ofKind('karpenter.sh', 'NodePool')) {
    const ref = field<{ group?: string; kind?: string; name?: string }>(rendered.object.spec, 'template', 'spec', 'nodeClassRef');
    if (!ref?.kind || !ref.name) continue;
    if (index.has(ref.group ?? 'karpenter.k8s.aws', ref.kind, undefined, ref.name)) continue;
    const classes = index.ofKind(ref.group ?? 'karpenter.k8s.aws', ref.kind).map((o) => o.object.metadata.name);
    missing(
      rendered,
      'ref/missing-node-class',
      'spec.template.spec.nodeClassRef.name',
      `${ref.kind} ${ref.name}`,
      classes.length > 0 ? `use an existing ${ref.kind}: ${classes.sort().join(', ')}` : `add the ${ref.kind} ${ref.name}`,
    );
  }

  for (const [group, kind] of [['kustomize.toolkit.fluxcd.io', 'Kustomization'], ['helm.toolkit.fluxcd.io', 'HelmRelease']] as const) {
    for (const rendered of index.ofKind(group, kind)) {
      const name = field<string>(rendered.object.spec, 'serviceAccountName');
      const namespace = rendered.object.metadata.namespace ?? 'default';
      if (!name || serviceAccountExists(namespace, name)) continue;
      missing(
        rendered,
        'ref/missing-service-account',
        'spec.serviceAccountName',
        `ServiceAccount ${namespace}/${name} (Flux impersonates it in the ${kind}'s own namespace)`,
        `add the ServiceAccount ${namespace}/${name} with its RoleBindings, or fix spec.serviceAccountName`,
      );
    }
  }
  return findings;
}
