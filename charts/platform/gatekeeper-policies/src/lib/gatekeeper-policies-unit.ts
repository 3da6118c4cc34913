import { type Unit, unitCallSite } from '@flotilla/config';
import { type ClusterPolicySettings, ClusterConstraints } from './cluster-constraints';
import { ConstraintTemplates } from './constraint-templates';

export const TEMPLATES_UNIT = 'gatekeeper-policies.templates';
export const CONSTRAINTS_UNIT = 'gatekeeper-policies.constraints';

export interface GatekeeperPoliciesProps {
  /** The cluster's constraint settings. */
  readonly constraints: ClusterPolicySettings;
  /** Absolute path of the policy library. @default - the one the fleet's entry point passed to the engine (`UnitContext.workspace`) */
  readonly policiesDir?: string;
}

/**
 * Two units: `gatekeeper-policies.templates` (infra-configs, after the Gatekeeper release) with
 * every ConstraintTemplate of `policies/`, and `gatekeeper-policies.constraints` (policies layer)
 * with the cluster's constraints; Gatekeeper creates each constraint kind's CRD from its template,
 * so the constraints come one layer later.
 */
export function gatekeeperPolicies(props: GatekeeperPoliciesProps): Unit[] {
  return [
    {
      name: TEMPLATES_UNIT,
      project: 'gatekeeper-policies',
      createdAt: unitCallSite(),
      layer: 'infra-configs',
      render(scope, { workspace }) {
        const policiesDir = props.policiesDir ?? workspace?.policiesDir;
        if (!policiesDir) {
          throw new Error(`${TEMPLATES_UNIT}: no policy library given; pass policiesDir, or render through the engine, which hands units the fleet's policies folder`);
        }
        new ConstraintTemplates(scope, 'Templates', { policiesDir });
      },
    },
    {
      name: CONSTRAINTS_UNIT,
      project: 'gatekeeper-policies',
      createdAt: unitCallSite(),
      layer: 'policies',
      dependsOn: [TEMPLATES_UNIT],
      render(scope, { cluster }) {
        new ClusterConstraints(scope, 'Constraints', props.constraints, cluster);
      },
    },
  ];
}
