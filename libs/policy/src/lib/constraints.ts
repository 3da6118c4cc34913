import type { KubeObject } from '@flotilla/model';
import { ENFORCEMENT_ACTIONS, ENFORCEMENT_POINTS, type EnforcementAction } from './enforcement';
import type { ConstraintMatch } from './match';

/** `FlotillaAllowedRepos`: every container image comes from one of `repos`. */
export interface AllowedReposParameters {
  /**
   * Registries or repositories, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/` or `ghcr.io/acme/web`.
   * An image matches when it equals an entry or continues it with `/`, `:` or `@` (so `ghcr.io/acme`
   * does not allow `ghcr.io/acme-evil/x`).
   */
  repos: string[];
}

/** `FlotillaRequiredLabels`: the object carries every label, optionally matching a regex. */
export interface RequiredLabelsParameters {
  /** e.g. `[{ key: 'team' }, { key: 'cost-center', allowedRegex: '^[0-9]{4}$' }]`. */
  labels: { key: string; /** RE2 regex the value must match. @default - any value */ allowedRegex?: string }[];
  /** Message to show instead of the default. @default - lists the missing labels */
  message?: string;
}

/** `FlotillaImageTags`: no `:latest`, no untagged images; digests when `requireDigest`. */
export interface ImageTagsParameters {
  /** Require `@sha256:` digests (prod). @default false */
  requireDigest?: boolean;
  /** Tags that are never allowed. @default ['latest'] */
  disallowedTags?: string[];
}

/** `FlotillaContainerResources`: CPU and memory requests, memory limit equal to the memory request. */
export interface ContainerResourcesParameters {
  /** Require `limits.memory` to equal `requests.memory`. @default true */
  requireMemoryLimitEqualsRequest?: boolean;
}

/** `FlotillaHostIsolation`: no privileged containers, hostNetwork, hostPID or hostPath volumes. */
export interface HostIsolationParameters {
  /**
   * Exact (namespace, path) pairs that may mount a hostPath, e.g. a GPU workload's instance store.
   * Both must be equal to the object's namespace and the volume's `hostPath.path`; no globs, no prefixes.
   * @default - no hostPath anywhere
   */
  allowedHostPaths?: { namespace: string; path: string }[];
}

/** `FlotillaRunAsNonRoot`: every container runs as non-root (runAsNonRoot true, runAsUser not 0). */
export interface RunAsNonRootParameters {
  /** Image prefixes exempt from the check (`*` suffix allowed). @default - none */
  exemptImages?: string[];
}

/** One workload (exact namespace and name) and the volume types it may use beyond the restricted set. */
export interface RestrictedExemption {
  namespace: string;
  name: string;
  volumeTypes: string[];
}

/**
 * `FlotillaRestricted`: the rest of Pod Security "restricted": hostPorts, capabilities, privilege
 * escalation, seccomp, AppArmor, SELinux, procMount, sysctls and volume types.
 */
export interface RestrictedParameters {
  /** Workloads that may use extra volume types (e.g. a read-only hostPath). @default - none */
  exemptions?: RestrictedExemption[];
}

/** `FlotillaTenantServices`: no ExternalName Services and no `spec.externalIPs`; match it to tenant namespaces. */
export type TenantServicesParameters = Record<string, never>;

/** `FlotillaRouteHostnames`: routes in a tenant namespace answer only the hostnames its team owns; match it to tenant namespaces. */
export interface RouteHostnamesParameters {
  /** Hostnames each namespace's team owns (exact, or `*.<domain>`); a namespace not listed owns none. @default - none */
  owners?: { namespace: string; hostnames: string[] }[];
}

/**
 * `FlotillaKongTenancy`: a team's Kong consumers, ACL groups and `acl` plugins stay its own (the
 * group is the namespace name); match it to tenant namespaces.
 */
export type KongTenancyParameters = Record<string, never>;

/** `FlotillaTenantFluxAccount`: HelmReleases and Flux Kustomizations in tenant namespaces name `spec.serviceAccountName`. */
export type TenantFluxAccountParameters = Record<string, never>;

/** `FlotillaDefaultServiceAccountToken`: shared ServiceAccounts do not automount their token. */
export interface DefaultServiceAccountTokenParameters {
  /** ServiceAccount names treated as shared. @default ['default'] */
  serviceAccountNames?: string[];
}

/** `FlotillaRouteRateLimit`: externally exposed Ingresses and HTTPRoutes carry a Kong rate-limit plugin. */
export interface RouteRateLimitParameters {
  /** Turn the check on (prod). @default false */
  enabled?: boolean;
  /** KongPlugin / KongClusterPlugin names that implement rate limiting, e.g. `['rate-limit-default']`. */
  acceptedPlugins: string[];
  /** Ingress classes that are internet-facing. @default ['kong'] */
  externalIngressClasses?: string[];
  /** Gateways (`name` or `namespace/name`) that are internet-facing. @default - none */
  externalGateways?: string[];
}

/** `FlotillaExternalSecretStore`: ExternalSecrets use a SecretStore of their namespace or an allowed ClusterSecretStore. */
export interface ExternalSecretStoreParameters {
  /** ClusterSecretStore names any namespace may use. @default - none */
  allowedClusterSecretStores?: string[];
}

/**
 * `FlotillaTenantIam`: ACK IAM Roles and EKS PodIdentityAssociations in tenant namespaces stay
 * inside the tenant's fence (boundary, name prefix, managed policies, trust, tags); ACK IAM
 * Policies are denied there. Match it to tenant namespaces only.
 */
export interface TenantIamParameters {
  /** Prefix before the namespace in tenant role names, usually `<eks cluster name>.`; roles in `team-a` are named `<rolePrefix>team-a.…`. */
  rolePrefix: string;
  /** ARN prefix of the account's roles, `arn:aws:iam::<account>:role/`; PodIdentityAssociation `roleARN`s must continue it with the tenant prefix. */
  roleArnPrefix: string;
  /** The managed policy every tenant role must set as `spec.permissionsBoundary` (`tenantBoundaryArn(cluster)`). */
  permissionsBoundaryArn: string;
  /** Managed policy ARNs tenant roles may list in `spec.policies`. @default - none */
  allowedManagedPolicyArns?: string[];
  /** Service principals a tenant role may trust. @default ['pods.eks.amazonaws.com'] */
  allowedServicePrincipals?: string[];
  /** Federated principals a tenant role may trust (the cluster's IAM OIDC provider ARN, for IRSA). @default - none */
  allowedFederatedPrincipals?: string[];
  /** The EKS cluster's name: PodIdentityAssociations must name it (no `clusterRef`). @default - any cluster */
  clusterName?: string;
}

/**
 * `FlotillaImageSignatures` (Rego with external data): pod images from `registries` carry a valid
 * AWS Signer signature, verified by Ratify at admission (not evaluable offline).
 */
export interface ImageSignaturesParameters {
  /** Registry hosts with an optional path, no wildcard, e.g. `222222222222.dkr.ecr.eu-north-1.amazonaws.com`. */
  registries: string[];
}

/** Parameters of each Flotilla template kind, see policies/README.md. */
export interface FlotillaPolicyParameters {
  FlotillaAllowedRepos: AllowedReposParameters;
  FlotillaRequiredLabels: RequiredLabelsParameters;
  FlotillaImageTags: ImageTagsParameters;
  FlotillaContainerResources: ContainerResourcesParameters;
  FlotillaHostIsolation: HostIsolationParameters;
  FlotillaRunAsNonRoot: RunAsNonRootParameters;
  FlotillaRestricted: RestrictedParameters;
  FlotillaTenantServices: TenantServicesParameters;
  FlotillaDefaultServiceAccountToken: DefaultServiceAccountTokenParameters;
  FlotillaRouteRateLimit: RouteRateLimitParameters;
  FlotillaExternalSecretStore: ExternalSecretStoreParameters;
  FlotillaTenantIam: TenantIamParameters;
  FlotillaRouteHostnames: RouteHostnamesParameters;
  FlotillaKongTenancy: KongTenancyParameters;
  FlotillaTenantFluxAccount: TenantFluxAccountParameters;
  FlotillaImageSignatures: ImageSignaturesParameters;
}

export type FlotillaPolicyKind = keyof FlotillaPolicyParameters;

export const FLOTILLA_POLICY_KINDS: readonly FlotillaPolicyKind[] = [
  'FlotillaAllowedRepos',
  'FlotillaRequiredLabels',
  'FlotillaImageTags',
  'FlotillaContainerResources',
  'FlotillaHostIsolation',
  'FlotillaRunAsNonRoot',
  'FlotillaRestricted',
  'FlotillaTenantServices',
  'FlotillaDefaultServiceAccountToken',
  'FlotillaRouteRateLimit',
  'FlotillaExternalSecretStore',
  'FlotillaTenantIam',
  'FlotillaRouteHostnames',
  'FlotillaKongTenancy',
  'FlotillaTenantFluxAccount',
  'FlotillaImageSignatures',
];

/** Kinds `FlotillaTenantIam` reviews: ACK IAM Roles and Policies, ACK EKS PodIdentityAssociations. */
export const TENANT_IAM_KINDS: NonNullable<ConstraintMatch['kinds']> = [
  { apiGroups: ['iam.services.k8s.aws'], kinds: ['Role', 'Policy'] },
  { apiGroups: ['eks.services.k8s.aws'], kinds: ['PodIdentityAssociation'] },
];

/** Kinds every pod-spec policy should match: Pods and the pod templates of workload controllers. */
export const POD_WORKLOAD_KINDS: NonNullable<ConstraintMatch['kinds']> = [
  { apiGroups: [''], kinds: ['Pod'] },
  { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] },
  { apiGroups: ['batch'], kinds: ['Job', 'CronJob'] },
];

export interface ConstraintOptions<P> {
  parameters: P;
  /** @default - every object (Gatekeeper's default) */
  match?: ConstraintMatch;
  /** @default 'deny' */
  enforcementAction?: EnforcementAction;
  /** Required when `enforcementAction` is `scoped`, not allowed otherwise. */
  scopedEnforcementActions?: { action: 'deny' | 'warn' | 'dryrun'; enforcementPoints: { name: string }[] }[];
  /** @default - none */
  labels?: Record<string, string>;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A Gatekeeper constraint (`constraints.gatekeeper.sh/v1beta1`) as a plain object, typed by the
 * template kind so that parameters are checked at compile time.
 *
 * @example constraintFor('FlotillaAllowedRepos', 'ecr-only', { parameters: { repos: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/'] }, match: { kinds: POD_WORKLOAD_KINDS } })
 */
export function constraintFor<K extends FlotillaPolicyKind>(kind: K, name: string, options: ConstraintOptions<FlotillaPolicyParameters[K]>): KubeObject;
export function constraintFor(kind: string, name: string, options: ConstraintOptions<Record<string, unknown>>): KubeObject;
export function constraintFor(kind: string, name: string, options: ConstraintOptions<object>): KubeObject {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) throw new Error(`kind must be a constraint kind in PascalCase (e.g. FlotillaAllowedRepos), got ${JSON.stringify(kind)}`);
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw new Error(`name must be a lowercase DNS subdomain (a-z, 0-9, '-', '.'; at most 253 characters), got ${JSON.stringify(name)}`);
  }
  const action = options.enforcementAction ?? 'deny';
  if (!ENFORCEMENT_ACTIONS.includes(action)) throw new Error(`enforcementAction must be one of ${ENFORCEMENT_ACTIONS.join(', ')}, got ${JSON.stringify(action)}`);
  if (action === 'scoped' && !options.scopedEnforcementActions?.length) {
    throw new Error('scopedEnforcementActions is required when enforcementAction is scoped; list the actions and their enforcement points');
  }
  if (action !== 'scoped' && options.scopedEnforcementActions) {
    throw new Error(`scopedEnforcementActions is only allowed with enforcementAction scoped, got enforcementAction ${JSON.stringify(action)}`);
  }
  for (const scoped of options.scopedEnforcementActions ?? []) {
    for (const point of scoped.enforcementPoints) {
      if (!(ENFORCEMENT_POINTS as readonly string[]).includes(point.name)) {
        throw new Error(`scopedEnforcementActions enforcement point must be one of ${ENFORCEMENT_POINTS.join(', ')}, got ${JSON.stringify(point.name)}`);
      }
    }
  }
  return {
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind,
    metadata: { name, ...(options.labels ? { labels: options.labels } : {}) },
    spec: {
      enforcementAction: action,
      ...(options.scopedEnforcementActions ? { scopedEnforcementActions: options.scopedEnforcementActions } : {}),
      ...(options.match ? { match: options.match } : {}),
      parameters: options.parameters,
    },
  };
}
