import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ClusterConfig } from '@flotilla/config';
import { CONTROLLER_POD_NAMESPACES, type ControllerPodNamespace, eksClusterNameOf, oidcProviderArn, partitionOf } from '@flotilla/constructs';
import type { KubeObject } from '@flotilla/model';
import { constraintFor, POD_WORKLOAD_KINDS, TENANT_IAM_KINDS, type ConstraintMatch, type EnforcementAction } from '@flotilla/policy';
import { assertHostname, TENANT_ROLE_SEPARATOR, tenantBoundaryArn, type HostnameOwner } from '@flotilla/workloads';

/** Kubernetes, Flux and Gatekeeper namespaces: never subject to workload policies. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease', 'flux-system', 'gatekeeper-system'];

/**
 * Namespaces of the platform add-ons (upstream images and charts, reviewed with the add-on):
 * Karpenter, External Secrets, the ACK controllers, Crossplane, Reloader, Kong, Ratify and cert-manager.
 */
export const ADDON_NAMESPACES: readonly string[] = ['karpenter', 'external-secrets', 'ack-system', 'crossplane-system', 'reloader', 'kong', 'ratify', 'cert-manager'];

/**
 * Namespaces of platform workloads that synth renders itself (the metrics collector): every pod
 * constraint applies to them, but not the team-ownership labels of FlotillaRequiredLabels, since no
 * team owns them (a `team` label would also make them tenant namespaces).
 */
export const PLATFORM_WORKLOAD_NAMESPACES: readonly string[] = ['metrics'];

/**
 * One workload that may mount one host path. Exact: the namespace must equal the object's
 * namespace and the path must equal `hostPath.path` (no prefixes, no globs).
 */
export interface HostPathExemption {
  readonly namespace: string;
  /**
   * The one workload (`metadata.name` of its Deployment, StatefulSet, … in `namespace`) that may
   * use the path; `FlotillaRestricted` rejects hostPath volumes in every other workload, and
   * hostPath mounts are always read-only.
   */
  readonly workload: string;
  /** Absolute path, e.g. `/mnt/instance-store` (the RAID0 array on GPU nodes). */
  readonly path: string;
  /** Why the workload needs it (kept in the constraint's annotations for reviewers). */
  readonly reason: string;
}

/** Kong rate limiting every internet-facing route must carry. */
export interface RouteRateLimitSettings {
  /** KongPlugin / KongClusterPlugin names that implement rate limiting, e.g. `['rate-limit-default']`. */
  readonly acceptedPlugins: readonly string[];
  /** @default ['kong'] */
  readonly externalIngressClasses?: readonly string[];
  /** Internet-facing Gateways (`name` or `namespace/name`). @default - none */
  readonly externalGateways?: readonly string[];
}

/** The label the `Team` construct puts on every tenant namespace; `FlotillaTenantIam` matches namespaces that carry it. */
export const TENANT_NAMESPACE_LABEL = 'team';

/**
 * The tenant IAM fence (`FlotillaTenantIam`): ACK IAM Roles and PodIdentityAssociations in tenant
 * namespaces need the tenant boundary, the `<eks cluster>-<namespace>-` prefix, this cluster's
 * pods as their only trust and their own tags; ACK IAM Policies are denied there. The boundary ARN,
 * prefixes and OIDC provider come from the cluster.
 */
export interface TenantIamSettings {
  /** Let tenant roles trust the cluster's IAM OIDC provider (IRSA) as well as EKS Pod Identity. @default true */
  readonly allowIrsa?: boolean;
  /** Managed policy ARNs tenant roles may attach (`spec.policies`). @default - none */
  readonly allowedManagedPolicyArns?: readonly string[];
}

/** The Gatekeeper constraints of one cluster, as typed settings. */
export interface ClusterPolicySettings {
  /** Registries or repositories images may come from (`<account>.dkr.ecr.<region>.amazonaws.com/`, `ghcr.io/acme`). */
  readonly allowedRepositories: readonly string[];
  /** Require `@sha256:` digests on every image (prod). */
  readonly requireImageDigests: boolean;
  /**
   * RE2 pattern the `cost-center` label must match.
   *
   * @default - any non-empty value
   */
  readonly costCenterPattern?: string;
  /** Kong rate limiting on external routes (prod). @default - not required */
  readonly routeRateLimit?: RouteRateLimitSettings;
  /**
   * Which hostnames each team namespace owns (`hostnameOwners(teams)` of `@flotilla/workloads`, from
   * `TeamConfig.hostnames`): `FlotillaRouteHostnames` rejects an Ingress, Gateway, HTTPRoute or
   * GRPCRoute in a tenant namespace that answers any other hostname, or every hostname.
   *
   * @default - none: no tenant namespace may publish a route
   */
  readonly hostnameOwners?: readonly HostnameOwner[];
  /**
   * Exact hostPath exemptions. Leave empty until a workload that needs one lands, and add only
   * that workload's namespace and path.
   *
   * @default - none (no hostPath anywhere outside excluded namespaces)
   */
  readonly hostPathExemptions?: readonly HostPathExemption[];
  /** Images exempt from run-as-non-root (exact, or prefix with a trailing `*`). @default - none */
  readonly runAsNonRootExemptImages?: readonly string[];
  /** ClusterSecretStores every namespace's ExternalSecrets may use. @default - none (own-namespace SecretStores only) */
  readonly allowedClusterSecretStores?: readonly string[];
  /**
   * Namespaces no constraint applies to.
   *
   * @default - SYSTEM_NAMESPACES and ADDON_NAMESPACES
   */
  readonly excludedNamespaces?: readonly string[];
  /** Added to `excludedNamespaces`, e.g. a cluster-specific add-on. @default - none */
  readonly additionalExcludedNamespaces?: readonly string[];
  /**
   * Platform namespaces that every pod constraint checks but FlotillaRequiredLabels (team ownership) skips.
   *
   * @default PLATFORM_WORKLOAD_NAMESPACES
   */
  readonly platformWorkloadNamespaces?: readonly string[];
  /**
   * Namespaces where controllers create pods at run time: skipped by the image, resource, label and
   * default-ServiceAccount constraints only (Pod Security restricted, host isolation and run as
   * non-root still apply), each with its reason in the constraints' annotations.
   *
   * @default CONTROLLER_POD_NAMESPACES (Mountpoint for S3's `mount-s3`)
   */
  readonly controllerPodNamespaces?: readonly ControllerPodNamespace[];
  /**
   * The tenant IAM fence, matched to namespaces labelled `team` (tenant namespaces).
   *
   * @default - enforced with the defaults of {@link TenantIamSettings} whenever the cluster is known
   */
  readonly tenantIam?: TenantIamSettings;
  /** @default 'deny' */
  readonly enforcementAction?: Exclude<EnforcementAction, 'scoped'>;
  /**
   * Enforcement of Pod Security "restricted" (`FlotillaRestricted`); dev may `warn` while
   * workloads are hardened, prod keeps `deny`.
   *
   * @default - enforcementAction
   */
  readonly restrictedEnforcementAction?: Exclude<EnforcementAction, 'scoped'>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const EXEMPTION_ANNOTATION = 'flotilla.dev/host-path-exemptions';
const CONTROLLER_PODS_ANNOTATION = 'flotilla.dev/controller-pod-namespaces';
/** The constraints a controller's own pods cannot meet by construction; the rest still apply in its namespace. */
const CONTROLLER_POD_SKIPS = new Set(['allowed-repositories', 'image-tags', 'team-and-cost-center', 'container-resources', 'default-service-account-token']);

function fail(field: string, message: string): never {
  throw new Error(`gatekeeper policies: ${field} ${message}`);
}

function validate(settings: ClusterPolicySettings, excluded: readonly string[]): void {
  if (settings.allowedRepositories.length === 0) fail('allowedRepositories', 'is empty; list the registries images may come from, e.g. "<account>.dkr.ecr.<region>.amazonaws.com/"');
  for (const repo of settings.allowedRepositories) {
    if (!/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._/-]*)?$/.test(repo) || repo.includes('*')) {
      fail('allowedRepositories', `entry "${repo}" is not a registry or repository prefix such as "ghcr.io/acme" or "public.ecr.aws/" (no wildcards, no tags)`);
    }
  }
  for (const namespace of excluded) {
    if (!/^(\*?[a-z0-9]([-a-z0-9]*[a-z0-9])?-?\*?|\*)$/.test(namespace)) fail('excludedNamespaces', `entry "${namespace}" is not a namespace or a Gatekeeper prefix/suffix pattern such as "kube-*"`);
  }
  const seen = new Set<string>();
  for (const [i, exemption] of (settings.hostPathExemptions ?? []).entries()) {
    const where = `hostPathExemptions[${i}]`;
    if (!DNS_LABEL.test(exemption.namespace)) fail(where, `namespace "${exemption.namespace}" is not a namespace name (exact names only, no patterns)`);
    if (excluded.includes(exemption.namespace)) fail(where, `namespace "${exemption.namespace}" is excluded from all constraints already; remove the exemption`);
    if (!/^\/[^*?[\]]*[^/*?[\]]$/.test(exemption.path) || exemption.path.split('/').includes('..')) {
      fail(where, `path "${exemption.path}" must be an absolute path without globs, '..' or a trailing '/', e.g. "/mnt/instance-store" (the root "/" is never allowed)`);
    }
    if (!DNS_LABEL.test(exemption.workload)) fail(where, `workload "${exemption.workload}" is not a workload name (the exact metadata.name of the Deployment or StatefulSet that mounts the path)`);
    if (!exemption.reason.trim()) fail(where, 'reason is empty; say which workload needs the path and why');
    const key = `${exemption.namespace}:${exemption.path}`;
    if (seen.has(key)) fail(where, `repeats ${exemption.namespace} ${exemption.path}`);
    seen.add(key);
  }
  const owners = new Set<string>();
  for (const [i, owner] of (settings.hostnameOwners ?? []).entries()) {
    if (!DNS_LABEL.test(owner.namespace)) fail(`hostnameOwners[${i}]`, `namespace "${owner.namespace}" is not a namespace name`);
    if (owners.has(owner.namespace)) fail(`hostnameOwners[${i}]`, `repeats namespace "${owner.namespace}"; list each team namespace once`);
    owners.add(owner.namespace);
    owner.hostnames.forEach((hostname, j) => assertHostname(`hostnameOwners[${i}].hostnames[${j}]`, hostname));
  }
  if (settings.routeRateLimit && settings.routeRateLimit.acceptedPlugins.length === 0) {
    fail('routeRateLimit.acceptedPlugins', 'is empty; name the KongPlugin/KongClusterPlugin that rate-limits routes');
  }
  for (const arn of settings.tenantIam?.allowedManagedPolicyArns ?? []) {
    if (!/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/.test(arn)) {
      fail('tenantIam.allowedManagedPolicyArns', `entry "${arn}" is not a managed policy ARN such as "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess" (no wildcards)`);
    }
  }
  if (settings.costCenterPattern !== undefined) {
    try {
      new RegExp(settings.costCenterPattern);
    } catch {
      fail('costCenterPattern', `"${settings.costCenterPattern}" is not a regular expression`);
    }
  }
}

/** One `FlotillaRestricted` exemption per exempted workload: hostPath, and nothing else. */
function restrictedExemptions(exemptions: readonly HostPathExemption[]): { namespace: string; name: string; volumeTypes: string[] }[] {
  const keys = [...new Set(exemptions.map((e) => `${e.namespace}/${e.workload}`))].sort();
  return keys.map((key) => {
    const [namespace, name] = key.split('/') as [string, string];
    return { namespace, name, volumeTypes: ['hostPath'] };
  });
}

/**
 * The cluster's constraints (`constraints.gatekeeper.sh/v1beta1`), built with the typed
 * `constraintFor` of `@flotilla/policy`; all of them skip the excluded namespaces.
 *
 * `cluster` gives the tenant IAM constraint its parameters (boundary ARN, role prefix, account,
 * OIDC provider); without it (settings-only checks) that constraint is left out. The unit always
 * passes its cluster.
 */
export function clusterConstraints(settings: ClusterPolicySettings, cluster?: ClusterConfig): KubeObject[] {
  const excluded = [...new Set([...(settings.excludedNamespaces ?? [...SYSTEM_NAMESPACES, ...ADDON_NAMESPACES]), ...(settings.additionalExcludedNamespaces ?? [])])].sort();
  validate(settings, excluded);
  const controllerPods = settings.controllerPodNamespaces ?? CONTROLLER_POD_NAMESPACES;
  for (const [i, entry] of controllerPods.entries()) {
    if (!DNS_LABEL.test(entry.namespace)) fail(`controllerPodNamespaces[${i}]`, `namespace "${entry.namespace}" is not a namespace name (exact names only)`);
    if (!entry.controller.trim() || !entry.reason.trim()) fail(`controllerPodNamespaces[${i}]`, 'needs the controller that creates the pods and the reason they cannot meet the image, resource and label constraints');
  }
  const enforcementAction = settings.enforcementAction ?? 'deny';
  const pods: ConstraintMatch = { kinds: POD_WORKLOAD_KINDS, excludedNamespaces: excluded };
  const exemptions = settings.hostPathExemptions ?? [];
  const constraints: KubeObject[] = [
    constraintFor('FlotillaAllowedRepos', 'allowed-repositories', { enforcementAction, match: pods, parameters: { repos: [...settings.allowedRepositories] } }),
    constraintFor('FlotillaImageTags', 'image-tags', { enforcementAction, match: pods, parameters: { requireDigest: settings.requireImageDigests, disallowedTags: ['latest'] } }),
    constraintFor('FlotillaRequiredLabels', 'team-and-cost-center', {
      enforcementAction,
      match: {
        kinds: [
          { apiGroups: [''], kinds: ['Namespace'] },
          { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
          { apiGroups: ['batch'], kinds: ['Job', 'CronJob'] },
        ],
        excludedNamespaces: [...new Set([...excluded, ...(settings.platformWorkloadNamespaces ?? PLATFORM_WORKLOAD_NAMESPACES)])].sort(),
      },
      parameters: {
        labels: [{ key: 'team' }, { key: 'cost-center', ...(settings.costCenterPattern ? { allowedRegex: settings.costCenterPattern } : {}) }],
        message: 'every team Namespace and workload carries the labels team and cost-center (see the Team construct)',
      },
    }),
    constraintFor('FlotillaContainerResources', 'container-resources', { enforcementAction, match: pods, parameters: { requireMemoryLimitEqualsRequest: true } }),
    constraintFor('FlotillaHostIsolation', 'host-isolation', {
      enforcementAction,
      match: pods,
      parameters: exemptions.length > 0 ? { allowedHostPaths: exemptions.map(({ namespace, path }) => ({ namespace, path })) } : {},
    }),
    constraintFor('FlotillaRunAsNonRoot', 'run-as-non-root', {
      enforcementAction,
      match: pods,
      parameters: settings.runAsNonRootExemptImages?.length ? { exemptImages: [...settings.runAsNonRootExemptImages] } : {},
    }),
    constraintFor('FlotillaRestricted', 'pod-security-restricted', {
      enforcementAction: settings.restrictedEnforcementAction ?? enforcementAction,
      match: pods,
      parameters: exemptions.length > 0 ? { exemptions: restrictedExemptions(exemptions) } : {},
    }),
    constraintFor('FlotillaDefaultServiceAccountToken', 'default-service-account-token', {
      enforcementAction,
      match: { kinds: [{ apiGroups: [''], kinds: ['ServiceAccount'] }, ...POD_WORKLOAD_KINDS], excludedNamespaces: excluded },
      parameters: { serviceAccountNames: ['default'] },
    }),
    constraintFor('FlotillaExternalSecretStore', 'external-secret-stores', {
      enforcementAction,
      match: { kinds: [{ apiGroups: ['external-secrets.io'], kinds: ['ExternalSecret'] }], excludedNamespaces: excluded },
      parameters: settings.allowedClusterSecretStores?.length ? { allowedClusterSecretStores: [...settings.allowedClusterSecretStores] } : {},
    }),
  ];
  if (settings.routeRateLimit) {
    const rate = settings.routeRateLimit;
    constraints.push(
      constraintFor('FlotillaRouteRateLimit', 'route-rate-limit', {
        enforcementAction,
        match: {
          kinds: [
            { apiGroups: ['networking.k8s.io'], kinds: ['Ingress'] },
            { apiGroups: ['gateway.networking.k8s.io'], kinds: ['HTTPRoute'] },
          ],
          excludedNamespaces: excluded,
        },
        parameters: {
          enabled: true,
          acceptedPlugins: [...rate.acceptedPlugins],
          externalIngressClasses: [...(rate.externalIngressClasses ?? ['kong'])],
          ...(rate.externalGateways?.length ? { externalGateways: [...rate.externalGateways] } : {}),
        },
      }),
    );
  }
  // ExternalName and externalIPs would let a tenant point the shared gateway, or intercept traffic, anywhere.
  constraints.push(
    constraintFor('FlotillaTenantServices', 'tenant-services', {
      enforcementAction,
      match: {
        kinds: [{ apiGroups: [''], kinds: ['Service'] }],
        namespaceSelector: { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: 'Exists' }] },
        excludedNamespaces: excluded,
      },
      parameters: {},
    }),
  );
  // The shared gateway serves every team: a tenant route answers only its team's hostnames.
  constraints.push(
    constraintFor('FlotillaRouteHostnames', 'route-hostnames', {
      enforcementAction,
      match: {
        kinds: [
          { apiGroups: ['networking.k8s.io'], kinds: ['Ingress'] },
          { apiGroups: ['gateway.networking.k8s.io'], kinds: ['Gateway', 'HTTPRoute', 'GRPCRoute'] },
        ],
        namespaceSelector: { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: 'Exists' }] },
        excludedNamespaces: excluded,
      },
      parameters: { owners: (settings.hostnameOwners ?? []).map((owner) => ({ namespace: owner.namespace, hostnames: [...owner.hostnames] })) },
    }),
  );
  // Kong consumers and ACL groups are gateway-wide: a team's stay its own (group = namespace).
  constraints.push(
    constraintFor('FlotillaKongTenancy', 'kong-tenancy', {
      enforcementAction,
      match: {
        kinds: [
          { apiGroups: ['configuration.konghq.com'], kinds: ['KongPlugin', 'KongConsumer'] },
          { apiGroups: ['external-secrets.io'], kinds: ['ExternalSecret'] },
          { apiGroups: [''], kinds: ['Secret'] },
        ],
        namespaceSelector: { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: 'Exists' }] },
        excludedNamespaces: excluded,
      },
      parameters: {},
    }),
  );
  // helm-controller runs an account-less HelmRelease as itself (cluster-admin): tenant Flux objects name theirs.
  constraints.push(
    constraintFor('FlotillaTenantFluxAccount', 'tenant-flux-account', {
      enforcementAction,
      match: {
        kinds: [
          { apiGroups: ['helm.toolkit.fluxcd.io'], kinds: ['HelmRelease'] },
          { apiGroups: ['kustomize.toolkit.fluxcd.io'], kinds: ['Kustomization'] },
        ],
        namespaceSelector: { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: 'Exists' }] },
        excludedNamespaces: excluded,
      },
      parameters: {},
    }),
  );
  if (cluster) {
    const tenantIam = settings.tenantIam ?? {};
    constraints.push(
      constraintFor('FlotillaTenantIam', 'tenant-iam', {
        enforcementAction,
        match: {
          kinds: TENANT_IAM_KINDS,
          namespaceSelector: { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: 'Exists' }] },
          excludedNamespaces: excluded,
        },
        parameters: {
          rolePrefix: `${eksClusterNameOf(cluster)}${TENANT_ROLE_SEPARATOR}`,
          roleArnPrefix: `arn:${partitionOf(cluster.region)}:iam::${cluster.account}:role/`,
          permissionsBoundaryArn: tenantBoundaryArn(cluster),
          clusterName: eksClusterNameOf(cluster),
          allowedServicePrincipals: ['pods.eks.amazonaws.com'],
          ...(tenantIam.allowIrsa === false ? {} : { allowedFederatedPrincipals: [oidcProviderArn(cluster)] }),
          ...(tenantIam.allowedManagedPolicyArns?.length ? { allowedManagedPolicyArns: [...tenantIam.allowedManagedPolicyArns] } : {}),
        },
      }),
    );
  }
  // Reviewers see why each hostPath is allowed next to the exemption itself.
  return constraints
    .map((constraint) =>
      constraint.metadata.name === 'host-isolation' && exemptions.length > 0
        ? { ...constraint, metadata: { ...constraint.metadata, annotations: { [EXEMPTION_ANNOTATION]: exemptions.map((e) => `${e.namespace}:${e.path}: ${e.reason}`).join('; ') } } }
        : constraint,
    )
    .map((constraint) => (CONTROLLER_POD_SKIPS.has(constraint.metadata.name) && controllerPods.length > 0 ? skipControllerPods(constraint, controllerPods) : constraint));
}

/** The constraint with the controller-pod namespaces added to its `excludedNamespaces`, and why in an annotation. */
function skipControllerPods(constraint: KubeObject, controllerPods: readonly ControllerPodNamespace[]): KubeObject {
  const spec = constraint.spec as { match: ConstraintMatch };
  const excludedNamespaces = [...new Set([...(spec.match.excludedNamespaces ?? []), ...controllerPods.map((entry) => entry.namespace)])].sort();
  return {
    ...constraint,
    metadata: {
      ...constraint.metadata,
      annotations: { ...constraint.metadata.annotations, [CONTROLLER_PODS_ANNOTATION]: controllerPods.map((e) => `${e.namespace}: ${e.controller}: ${e.reason}`).join('; ') },
    },
    spec: { ...spec, match: { ...spec.match, excludedNamespaces } },
  };
}

/** Renders {@link clusterConstraints} as cdk8s objects. */
export class ClusterConstraints extends Construct {
  readonly constraints: readonly KubeObject[];

  constructor(scope: Construct, id: string, settings: ClusterPolicySettings, cluster?: ClusterConfig) {
    super(scope, id);
    this.constraints = clusterConstraints(settings, cluster);
    for (const { apiVersion, kind, metadata, ...rest } of this.constraints) {
      new ApiObject(this, `${kind}-${metadata.name}`, { apiVersion, kind, metadata, ...rest });
    }
  }
}
