import type { Construct } from 'constructs';
import { ackHealthCheck, type Unit, type UnitContext, unitCallSite } from '@flotilla/config';
import { IRSA_ROLE_UNITS, POD_IDENTITY_UNITS } from './controller-identity';

export interface IdentityUnitProps {
  /** The Nx project; the unit is named `<project>.identity`. */
  readonly project: string;
  /** Which identity objects the unit renders, so it waits for the controllers whose CRDs they need. */
  readonly mechanism: 'pod-identity' | 'irsa';
  /** Renders the `PodIdentityRole`s / `IrsaRole`s. */
  render(scope: Construct, context: UnitContext): void;
}

/**
 * The `<project>.identity` unit: a controller's IAM role (and association) in `infra-controllers`,
 * after the ACK IAM/EKS controllers. The controller's own unit lists {@link identityUnitName} in
 * `dependsOn`, so Pod Identity associations exist before its pods start.
 */
export function identityUnit(props: IdentityUnitProps): Unit {
  return {
    name: identityUnitName(props.project),
    project: props.project,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: props.mechanism === 'pod-identity' ? POD_IDENTITY_UNITS : IRSA_ROLE_UNITS,
    // Controllers only get credentials in pods created after the role and association exist in
    // AWS, so dependants must wait for ACK to have synced them, not merely for them to be applied.
    flux: {
      healthCheckExprs: [
        ackHealthCheck('iam.services.k8s.aws/v1alpha1', 'Role'),
        ...(props.mechanism === 'pod-identity' ? [ackHealthCheck('eks.services.k8s.aws/v1alpha1', 'PodIdentityAssociation')] : []),
      ],
    },
    render: props.render,
  };
}

export function identityUnitName(project: string): string {
  return `${project}.identity`;
}
