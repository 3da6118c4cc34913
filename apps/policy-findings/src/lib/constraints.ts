import { ApiException, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';

export const CONSTRAINTS_GROUP = 'constraints.gatekeeper.sh';
export const CONSTRAINTS_VERSION = 'v1beta1';

/** One entry of a constraint's `status.violations` (Gatekeeper audit). */
export interface AuditViolation {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** API group of the object (Gatekeeper ≥ 3.13 reports `group` and `version`). */
  readonly group?: string;
  readonly message: string;
  readonly enforcementAction: string;
}

/** A constraint and its last audit result. */
export interface ConstraintStatus {
  readonly kind: string;
  readonly name: string;
  readonly enforcementAction: string;
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  /** `status.auditTimestamp`; undefined when the audit has not reached the constraint yet. */
  readonly auditTimestamp?: string;
  readonly totalViolations: number;
  readonly violations: readonly AuditViolation[];
}

export interface ClusterConnection {
  readonly name: string;
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthorityData: string;
  readonly token: string;
}

/** A client-node KubeConfig for one cluster with a bearer token (the EKS token); TLS is always verified. */
export function kubeConfigFor(connection: ClusterConnection): KubeConfig {
  const config = new KubeConfig();
  config.loadFromClusterAndUser(
    { name: connection.name, server: connection.endpoint, caData: connection.certificateAuthorityData, skipTLSVerify: false },
    { name: 'policy-findings', token: connection.token },
  );
  return config;
}

/**
 * Every Gatekeeper constraint with its audit status: the constraint kinds from API discovery of
 * `constraints.gatekeeper.sh/v1beta1` (one kind per ConstraintTemplate, served only once the template's CRD
 * exists), then a list of each kind. A cluster without templates has no such group (404): no constraints.
 */
export async function readConstraints(config: KubeConfig): Promise<ConstraintStatus[]> {
  const api = config.makeApiClient(CustomObjectsApi);
  let resources: { name: string; kind: string }[];
  try {
    const list = await api.getAPIResources({ group: CONSTRAINTS_GROUP, version: CONSTRAINTS_VERSION });
    resources = list.resources.filter((r) => !r.name.includes('/')).map((r) => ({ name: r.name, kind: r.kind }));
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return [];
    throw error;
  }
  const constraints: ConstraintStatus[] = [];
  for (const resource of [...resources].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))) {
    let continueToken: string | undefined;
    do {
      const page = (await api.listClusterCustomObject({
        group: CONSTRAINTS_GROUP,
        version: CONSTRAINTS_VERSION,
        plural: resource.name,
        limit: 500,
        ...(continueToken ? { _continue: continueToken } : {}),
      })) as { items?: unknown[]; metadata?: { continue?: string } };
      for (const item of page.items ?? []) constraints.push(constraintStatus(resource.kind, item));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
  }
  return constraints;
}

interface RawConstraint {
  metadata?: { name?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: { enforcementAction?: string };
  status?: { auditTimestamp?: string; totalViolations?: number; violations?: Partial<AuditViolation>[] };
}

function constraintStatus(kind: string, item: unknown): ConstraintStatus {
  const raw = item as RawConstraint;
  const enforcementAction = raw.spec?.enforcementAction ?? 'deny';
  const violations = (raw.status?.violations ?? []).map((v) => ({
    kind: v.kind ?? 'Unknown',
    name: v.name ?? '',
    ...(v.namespace ? { namespace: v.namespace } : {}),
    ...(v.group ? { group: v.group } : {}),
    message: v.message ?? '',
    enforcementAction: v.enforcementAction ?? enforcementAction,
  }));
  return {
    kind,
    name: raw.metadata?.name ?? '',
    enforcementAction,
    ...(raw.metadata?.annotations ? { annotations: raw.metadata.annotations } : {}),
    ...(raw.metadata?.labels ? { labels: raw.metadata.labels } : {}),
    ...(raw.status?.auditTimestamp ? { auditTimestamp: raw.status.auditTimestamp } : {}),
    totalViolations: raw.status?.totalViolations ?? violations.length,
    violations,
  };
}
