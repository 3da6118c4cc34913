import { crossplaneManagedHealthCheck, type Unit, unitCallSite } from '@flotilla/config';
import { clusterRoleName, eksClusterNameOf, partitionOf, type RemovalPolicy } from '@flotilla/constructs';
import { CostCenterPolicy, type CostCenterStatementsOptions, type PolicyAttachments } from './cost-center-policy';

export interface AccountPoliciesProps {
  /** The cost-center policy and who it applies to. */
  readonly costCenter: CostCenterStatementsOptions & {
    readonly attachTo: PolicyAttachments & {
      /**
       * Suffixes of this cluster's roles (`<eks cluster name>-<suffix>`, as `clusterRoleName` builds
       * them), e.g. `['karpenter']` for the Karpenter controller.
       *
       * @default - none
       */
      readonly clusterRoleSuffixes?: readonly string[];
    };
    /** @default - `<eks cluster name>-require-cost-center` (unique per cluster when clusters share an account) */
    readonly name?: string;
  };
  /**
   * IAM path of the policy; must be the path the Crossplane AWS IAM provider may manage.
   *
   * @default - `/crossplane/<cluster name>/` (the crossplane chart's default `iamPath`)
   */
  readonly iamPath?: string;
  /** Crossplane `ProviderConfig` name the AWS provider chart renders. @default 'default' */
  readonly providerConfigName?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The `account-policies` unit (infra-configs, after Crossplane and its AWS IAM provider): AWS-level
 * guardrails declared as Crossplane managed resources.
 */
export function accountPolicies(props: AccountPoliciesProps): Unit {
  return {
    name: 'account-policies',
    project: 'account-policies',
    createdAt: unitCallSite(),
    layer: 'infra-configs',
    flux: {
      healthCheckExprs: ['Policy', 'RolePolicyAttachment', 'GroupPolicyAttachment'].map((kind) =>
        crossplaneManagedHealthCheck('iam.aws.upbound.io/v1beta1', kind),
      ),
    },
    render(scope, { cluster }) {
      const { clusterRoleSuffixes, ...attachTo } = props.costCenter.attachTo;
      new CostCenterPolicy(scope, 'CostCenter', {
        ...props.costCenter,
        partition: partitionOf(cluster.region),
        attachTo: { ...attachTo, roles: [...(clusterRoleSuffixes ?? []).map((suffix) => clusterRoleName(cluster, suffix)), ...(attachTo.roles ?? [])] },
        name: props.costCenter.name ?? `${eksClusterNameOf(cluster)}-require-cost-center`,
        path: props.iamPath ?? `/crossplane/${cluster.name}/`,
        providerConfigName: props.providerConfigName,
        removalPolicy: props.removalPolicy,
      });
    },
  };
}
