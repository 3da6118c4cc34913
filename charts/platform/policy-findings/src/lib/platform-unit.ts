import type { Duration } from 'cdk8s';
import { ackHealthCheck, type HealthCheckExpr, type Unit, unitCallSite, SIGNING_UNIT } from '@flotilla/config';
import type { RemovalPolicy } from '@flotilla/constructs';
import { ConstraintReaderRbac } from './constraint-reader-rbac';
import { PolicyFindingsFunction } from './findings-function';

/** The unit's name (= the Nx project of `charts/platform/policy-findings`). */
export const POLICY_FINDINGS_UNIT = 'policy-findings-platform';

/** Flux waits until ACK has synced every AWS object (or it is terminal); without them `wait` passes on apply. */
export const POLICY_FINDINGS_HEALTH_CHECKS: readonly HealthCheckExpr[] = [
  ackHealthCheck('iam.services.k8s.aws/v1alpha1', 'Role'),
  ackHealthCheck('eks.services.k8s.aws/v1alpha1', 'AccessEntry'),
  ackHealthCheck('lambda.services.k8s.aws/v1alpha1', 'Function'),
  ackHealthCheck('lambda.services.k8s.aws/v1alpha1', 'Alias'),
  ackHealthCheck('eventbridge.services.k8s.aws/v1alpha1', 'Rule'),
];

export interface PolicyFindingsProps {
  /** EventBridge schedule expression. @default 'rate(10 minutes)' */
  readonly schedule?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.minutes(2) */
  readonly timeout?: Duration;
  /** What deleting the Role and AccessEntry objects does in AWS. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * `policy-findings-platform` (infra-configs, after the ACK controllers): the scheduled Lambda that imports the
 * cluster's Gatekeeper audit violations into Security Hub, its role, EKS access entry, schedule, and the
 * read-only RBAC for constraints.
 */
export function policyFindings(props: PolicyFindingsProps = {}): Unit[] {
  return [
    {
      name: POLICY_FINDINGS_UNIT,
      project: POLICY_FINDINGS_UNIT,
      createdAt: unitCallSite(),
      layer: 'infra-configs',
      // The CodeSigningConfig its Function references comes from the signing unit.
      dependsOn: [SIGNING_UNIT],
      flux: { healthCheckExprs: POLICY_FINDINGS_HEALTH_CHECKS },
      render(scope, { cluster }) {
        new PolicyFindingsFunction(scope, 'Findings', { cluster, schedule: props.schedule, memorySize: props.memorySize, timeout: props.timeout, removalPolicy: props.removalPolicy });
        new ConstraintReaderRbac(scope, 'Rbac');
      },
    },
  ];
}
