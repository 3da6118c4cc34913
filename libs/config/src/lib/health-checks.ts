/**
 * A CEL health check Flux evaluates for a custom resource kind while it waits for a unit
 * (`spec.healthCheckExprs`). Without one, `wait: true` counts an ACK or Crossplane object as ready
 * as soon as it is applied, long before AWS has created anything.
 *
 * @see https://fluxcd.io/flux/cheatsheets/cel-healthchecks/
 */
export interface HealthCheckExpr {
  /** Exact apiVersion, e.g. `iam.services.k8s.aws/v1alpha1`. */
  readonly apiVersion: string;
  readonly kind: string;
  /** True when the object reached its desired state. */
  readonly current: string;
  /** True when the object will not get there without a change. @default - Flux waits until the timeout */
  readonly failed?: string;
  /** True while the object is still converging. @default - neither current nor failed */
  readonly inProgress?: string;
}

const condition = (type: string) => `status.conditions.exists(c, c.type == '${type}' && c.status == 'True')`;

/** ACK resources: synced with AWS, or terminally failed (the controller stops retrying). */
export function ackHealthCheck(apiVersion: string, kind: string): HealthCheckExpr {
  return { apiVersion, kind, current: condition('ACK.ResourceSynced'), failed: condition('ACK.Terminal') };
}

/** Crossplane managed resources (e.g. `iam.aws.upbound.io`): ready and synced with AWS. */
export function crossplaneManagedHealthCheck(apiVersion: string, kind: string): HealthCheckExpr {
  return { apiVersion, kind, current: `${condition('Ready')} && ${condition('Synced')}` };
}

/** Crossplane packages (`pkg.crossplane.io` Provider/Function/Configuration): installed and healthy. */
export function crossplanePackageHealthCheck(kind: 'Provider' | 'Function' | 'Configuration'): HealthCheckExpr {
  return { apiVersion: 'pkg.crossplane.io/v1', kind, current: `${condition('Installed')} && ${condition('Healthy')}` };
}
