import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PEOPLE_ACCESS_ANNOTATION } from '@flotilla/model';
import { cpuQuantity, sizeQuantity } from './quantities';
import { POD_SECURITY_REASON_ANNOTATION, podSecurityLabels, type PodSecurityExemption } from './pod-security-labels';
import { fluxTenantAccount, tenantLabels, type TeamRef } from './tenant-labels';
import { KONG_PROXY_POD_LABELS, TeamNetworkPolicies, type EgressRule } from './team-network-policies';
import type { AwsEgress } from './aws-egress';
import { TeamFluxTenant } from './team-flux-tenant';
import { PEOPLE_ROLES, TeamPeopleAccess, type PeopleRole } from './team-people-role';
import { S3PersistentVolume, type S3VolumeSpec } from './s3-volume';
import { assertDnsLabel, assertIntegerInRange, WorkloadValidationError } from './validation-error';
import { assertHostname } from './tenancy';

const { k8s } = kplus;

/** Secrets a workload reads through the Kubernetes API, granted by name only. */
export interface WorkloadSecretAccess {
  /** ServiceAccount (in the team namespace) that may read the secrets. */
  readonly serviceAccount: string;
  /** Names of the Secrets it may `get`; nothing else is readable. */
  readonly secrets: readonly string[];
}

/** The namespace's ResourceQuota. */
export interface TeamQuota {
  /** Sum of CPU requests. @default Cpu.units(8) */
  readonly cpuRequests?: kplus.Cpu;
  /** Sum of memory requests. @default Size.gibibytes(16) */
  readonly memoryRequests?: Size;
  /** Sum of memory limits. @default Size.gibibytes(16) */
  readonly memoryLimits?: Size;
  /** Number of pods. @default 50 */
  readonly pods?: number;
  /** Number of PersistentVolumeClaims. @default 10 */
  readonly persistentVolumeClaims?: number;
  /** Requested `nvidia.com/gpu` devices; 0 keeps the team off GPU nodes. @default 0 */
  readonly gpus?: number;
}

/** Defaults the namespace's LimitRange gives containers that do not set their own. */
export interface TeamContainerDefaults {
  /** @default Cpu.millis(100) */
  readonly cpuRequest?: kplus.Cpu;
  /** Memory request, and the memory limit too (limit equals request). @default Size.mebibytes(256) */
  readonly memory?: Size;
}


/** Typed configuration of one team (tenant); the cluster's `tenants.ts` declares it once. */
export interface TeamConfig {
  /** Team name: the `team` label and the `flux-<name>` Flux account. A DNS label. */
  readonly name: string;
  /** The team's namespace. @default - the team name */
  readonly namespace?: string;
  /** Cost center billed for the team (label `cost-center`). */
  readonly costCenter: string;
  /**
   * Kubernetes group of the team's people (e.g. an IAM Identity Center group mapped through an EKS
   * access entry); it gets {@link peopleRole} in the team namespace only.
   */
  readonly group: string;
  /**
   * What the team's people may do in the namespace: `read-only` (no direct access: read verbs only,
   * no pods create, exec, attach or port-forward, no Secrets), `edit-no-secrets` (a namespaced Role:
   * edit workloads, no Secrets through the API, no exec/attach, no impersonation) or the built-in
   * `edit` ClusterRole (which reads every Secret of the namespace). See {@link PeopleRole}; the
   * fleet's team catalog types it per environment (prod: `read-only`).
   *
   * @default 'edit-no-secrets'
   */
  readonly peopleRole?: PeopleRole;
  /**
   * Pod Security Admission level enforced on the namespace instead of `restricted`, with the reason
   * (audit and warn stay `restricted`).
   *
   * @default - enforce restricted
   */
  readonly podSecurity?: PodSecurityExemption;
  /** Secrets the team's workloads read through the Kubernetes API, by name. @default - none */
  readonly workloadSecrets?: readonly WorkloadSecretAccess[];
  /** @default - see {@link TeamQuota} */
  readonly quota?: TeamQuota;
  /** @default - see {@link TeamContainerDefaults} */
  readonly containerDefaults?: TeamContainerDefaults;
  /** Namespace of the ingress controller allowed to reach the team's pods. @default 'kong' */
  readonly ingressControllerNamespace?: string;
  /**
   * Labels of the ingress controller's proxy pods; the team's pods admit only those pods of
   * {@link ingressControllerNamespace}, so another pod there (a controller, a debug pod) cannot connect.
   *
   * @default KONG_PROXY_POD_LABELS (the kong/kong chart's proxy pods, release `kong`)
   */
  readonly ingressProxyPodLabels?: Readonly<Record<string, string>>;
  /**
   * Hostnames the team's routes may answer on the shared gateway (Ingress hosts, Gateway listener
   * hostnames, HTTPRoute hostnames): exact, or `*.<domain>` for every subdomain. A hostname belongs
   * to one team (the teams unit checks), and `FlotillaRouteHostnames` rejects a route for any other.
   *
   * @default - none: the team cannot publish routes
   */
  readonly hostnames?: readonly string[];
  /** Destinations outside the cluster the team's pods may reach (databases, other networks). @default - none */
  readonly egress?: readonly EgressRule[];
  /**
   * The team's workloads that call AWS themselves (Pod Identity or IRSA credentials, the AppConfig
   * Agent), each from `awsEgressFor(c, { name, podLabels, credentials, services })`: the teams unit
   * renders `allow-aws-<workload>` (credentials path and HTTPS to each API's VPC endpoint or public
   * endpoint), and `flotilla validate` rejects a workload with an AWS binding but no such path.
   * CSI volumes (Secrets Store, Mountpoint for S3) need none: their drivers call AWS from their own pods.
   *
   * @default - none
   */
  readonly awsEgress?: readonly AwsEgress[];
  /**
   * Mountpoint for S3 volumes the team's apps claim; the tenants unit renders the cluster-scoped
   * PersistentVolumes, pre-bound to the team's claims.
   *
   * @default - none
   */
  readonly s3Volumes?: readonly S3VolumeSpec[];
}

export interface TeamProps {
  readonly config: TeamConfig;
  /**
   * The cluster's Kubernetes minor version (`ClusterConfig.kubernetesVersion`), pinned in the
   * namespace's Pod Security Admission labels.
   *
   * @default - no Pod Security Admission labels (the teams unit always passes it)
   */
  readonly kubernetesVersion?: string;
}

export const DEFAULT_TEAM_QUOTA = {
  cpuRequests: kplus.Cpu.units(8),
  memoryRequests: Size.gibibytes(16),
  memoryLimits: Size.gibibytes(16),
  pods: 50,
  persistentVolumeClaims: 10,
  gpus: 0,
} as const satisfies Required<TeamQuota>;

export const DEFAULT_CONTAINER_DEFAULTS = {
  cpuRequest: kplus.Cpu.millis(100),
  memory: Size.mebibytes(256),
} as const satisfies Required<TeamContainerDefaults>;

/** Resolves a team's config into the reference apps use. */
export function teamRef(config: Pick<TeamConfig, 'name' | 'namespace' | 'costCenter'>): TeamRef {
  return { name: config.name, namespace: config.namespace ?? config.name, costCenter: config.costCenter };
}

/**
 * One tenant of a cluster: its namespace and everything that fences it in.
 *
 * Renders the labelled Namespace; a RoleBinding of the team group to its people role
 * (`edit-no-secrets` by default, or `edit`); per-workload Roles that
 * read Secrets by name only; the `default` ServiceAccount without a token; a ResourceQuota and a
 * LimitRange; default-deny NetworkPolicies with same-namespace, DNS and ingress-controller traffic
 * allowed; and the Flux
 * tenant account `flux-<team>` bound to a namespace-scoped Role. The only cluster-scoped objects are
 * the Namespace and the team's S3 PersistentVolumes (pre-bound to its claims).
 */
export class Team extends Construct {
  readonly ref: TeamRef;
  readonly quota: Required<TeamQuota>;
  readonly containerDefaults: Required<TeamContainerDefaults>;
  readonly ingressControllerNamespace: string;
  readonly peopleRole: PeopleRole;

  constructor(scope: Construct, id: string, props: TeamProps) {
    super(scope, id);
    const config = props.config;
    assertDnsLabel('name', config.name, 57); // leaves room for the 'flux-' prefix
    this.ref = teamRef(config);
    assertDnsLabel('namespace', this.ref.namespace);
    if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(config.costCenter) || config.costCenter.length > 63) {
      throw new WorkloadValidationError('workloads/team', `'costCenter' ('${config.costCenter}') of team '${config.name}' must be a label value (letters, digits, '-', '_', '.')`);
    }
    if (config.group.trim() === '' || config.group.startsWith('system:')) {
      throw new WorkloadValidationError('workloads/team', `'group' ('${config.group}') of team '${config.name}' must name the team's own group; 'system:' groups are reserved for Kubernetes`);
    }
    this.peopleRole = config.peopleRole ?? 'edit-no-secrets';
    if (!PEOPLE_ROLES.includes(this.peopleRole)) {
      throw new WorkloadValidationError('workloads/team', `'peopleRole' ('${this.peopleRole}') of team '${config.name}' must be one of ${PEOPLE_ROLES.join(', ')}; 'read-only' keeps Secrets and the workloads' AWS roles out of reach`);
    }
    for (const [i, hostname] of (config.hostnames ?? []).entries()) assertHostname(`hostnames[${i}]`, hostname);
    this.quota = { ...DEFAULT_TEAM_QUOTA, ...config.quota };
    assertIntegerInRange('quota.pods', this.quota.pods, 1, 10_000);
    assertIntegerInRange('quota.persistentVolumeClaims', this.quota.persistentVolumeClaims, 0, 1_000);
    assertIntegerInRange('quota.gpus', this.quota.gpus, 0, 1_024);
    this.containerDefaults = { ...DEFAULT_CONTAINER_DEFAULTS, ...config.containerDefaults };
    this.ingressControllerNamespace = config.ingressControllerNamespace ?? 'kong';
    assertDnsLabel('ingressControllerNamespace', this.ingressControllerNamespace);
    const proxyLabels = config.ingressProxyPodLabels ?? KONG_PROXY_POD_LABELS;
    if (Object.keys(proxyLabels).length === 0) {
      throw new WorkloadValidationError('workloads/team', `'ingressProxyPodLabels' of team '${config.name}' is empty, which admits every pod of '${this.ingressControllerNamespace}'; give the gateway proxy pods' labels, e.g. ${JSON.stringify(KONG_PROXY_POD_LABELS)}`);
    }

    const namespace = this.ref.namespace;
    const labels = { ...tenantLabels(this.ref) };
    const meta = (name: string) => ({ name, namespace, labels });

    const podSecurity = props.kubernetesVersion === undefined ? {} : podSecurityLabels(props.kubernetesVersion, config.podSecurity);
    new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: namespace,
        labels: { ...labels, ...podSecurity },
        annotations: {
          [PEOPLE_ACCESS_ANNOTATION]: this.peopleRole,
          ...(config.podSecurity && props.kubernetesVersion !== undefined ? { [POD_SECURITY_REASON_ANNOTATION]: config.podSecurity.reason } : {}),
        },
      },
    });

    // People: their namespace only (a RoleBinding scopes even the `edit` ClusterRole to it).
    new TeamPeopleAccess(this, 'People', { team: this.ref, group: config.group, role: this.peopleRole });

    // Workloads: `get` on named Secrets only; list/watch cannot be limited by name, so they are not granted.
    const seen = new Set<string>();
    for (const access of config.workloadSecrets ?? []) {
      assertDnsLabel('workloadSecrets.serviceAccount', access.serviceAccount);
      if (access.serviceAccount === 'default') {
        throw new WorkloadValidationError('workloads/team', `'workloadSecrets' of team '${config.name}' grants secrets to the 'default' ServiceAccount; give the workload its own ServiceAccount`);
      }
      if (seen.has(access.serviceAccount)) {
        throw new WorkloadValidationError('workloads/team', `'workloadSecrets' of team '${config.name}' lists ServiceAccount '${access.serviceAccount}' twice; merge its secrets into one entry`);
      }
      seen.add(access.serviceAccount);
      if (access.secrets.length === 0) {
        throw new WorkloadValidationError('workloads/team', `'workloadSecrets' entry for '${access.serviceAccount}' lists no secrets; remove the entry or name the secrets it reads`);
      }
      const roleName = `${access.serviceAccount}-secret-reader`;
      new k8s.KubeRole(this, `SecretReader-${access.serviceAccount}`, {
        metadata: meta(roleName),
        rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [...access.secrets].sort(), verbs: ['get'] }],
      });
      new k8s.KubeRoleBinding(this, `SecretReaderBinding-${access.serviceAccount}`, {
        metadata: meta(roleName),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: access.serviceAccount, namespace }],
      });
    }

    // The namespace's default account: no API token in pods that forget to pick their own.
    new k8s.KubeServiceAccount(this, 'DefaultServiceAccount', { metadata: meta('default'), automountServiceAccountToken: false });

    const q = this.quota;
    new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: meta(`${config.name}-quota`),
      spec: {
        hard: {
          'requests.cpu': k8s.Quantity.fromString(cpuQuantity(q.cpuRequests)),
          'requests.memory': k8s.Quantity.fromString(sizeQuantity(q.memoryRequests, 'quota.memoryRequests')),
          'limits.memory': k8s.Quantity.fromString(sizeQuantity(q.memoryLimits, 'quota.memoryLimits')),
          pods: k8s.Quantity.fromNumber(q.pods),
          persistentvolumeclaims: k8s.Quantity.fromNumber(q.persistentVolumeClaims),
          'requests.nvidia.com/gpu': k8s.Quantity.fromNumber(q.gpus),
          'services.loadbalancers': k8s.Quantity.fromNumber(0),
          'services.nodeports': k8s.Quantity.fromNumber(0),
        },
      },
    });

    const d = this.containerDefaults;
    const memory = k8s.Quantity.fromString(sizeQuantity(d.memory, 'containerDefaults.memory'));
    new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: meta(`${config.name}-limits`),
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: k8s.Quantity.fromString(cpuQuantity(d.cpuRequest)), memory },
            default: { memory },
          },
        ],
      },
    });

    new TeamNetworkPolicies(this, 'NetworkPolicies', {
      namespace,
      labels,
      ingressControllerNamespace: this.ingressControllerNamespace,
      ingressProxyPodLabels: proxyLabels,
      egress: config.egress ?? [],
      awsEgress: config.awsEgress ?? [],
    });

    for (const spec of config.s3Volumes ?? []) new S3PersistentVolume(this, `S3Volume-${spec.claimName}`, { team: this.ref, spec });

    new TeamFluxTenant(this, 'Flux', { team: this.ref, serviceAccountName: fluxTenantAccount(this.ref) });
  }
}
