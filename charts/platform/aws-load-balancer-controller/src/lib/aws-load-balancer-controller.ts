import { type Unit, unitCallSite } from '@flotilla/config';
import { HelmAddon, PodIdentityRole, VERSIONS, eksClusterNameOf, identityUnit, identityUnitName, partitionOf } from '@flotilla/constructs';
import { loadBalancerControllerStatements } from './aws-load-balancer-controller-iam';

export const LOAD_BALANCER_CONTROLLER_PROJECT = 'aws-load-balancer-controller';
/** Released into kube-system, as AWS installs it (Gatekeeper and the controller namespaces' policies leave it alone). */
export const LOAD_BALANCER_CONTROLLER_NAMESPACE = 'kube-system';
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';
/** Suffix of the controller role, `<cluster>-aws-load-balancer-controller`. */
export const LOAD_BALANCER_CONTROLLER_ROLE_SUFFIX = 'aws-load-balancer-controller';
/** The `loadBalancerClass` of Services the controller provisions as Network Load Balancers. */
export const NLB_LOAD_BALANCER_CLASS = 'service.k8s.aws/nlb';

export interface AwsLoadBalancerControllerProps {
  /** The cluster's VPC id (`c.vpc.id`): pods cannot read it from instance metadata (hop limit 1). */
  readonly vpcId: string;
  /** Controller replicas (leader-elected). @default 2 */
  readonly replicas?: number;
}

/** The values this project sets (chart `aws-load-balancer-controller` 3.5.0, which ships no values schema). */
export interface AwsLoadBalancerControllerValues {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
  readonly replicaCount: number;
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  /** Off: only Services that name `loadBalancerClass: service.k8s.aws/nlb` get a load balancer; no cluster-wide Service webhook. */
  readonly enableServiceMutatorWebhook: boolean;
  /** Off: no `alb` IngressClass, so no tenant Ingress can open an internet-facing ALB around the Kong gateway. */
  readonly createIngressClassResource: boolean;
  readonly podDisruptionBudget: { readonly maxUnavailable: number } | Record<string, never>;
}

/**
 * AWS Load Balancer Controller: `aws-load-balancer-controller.identity` (Pod Identity role with the
 * upstream-recommended policy, narrowed to the cluster's region and account) and
 * `aws-load-balancer-controller` (the release from eks-charts in kube-system; it installs the
 * `elbv2.k8s.aws` CRDs). It provisions the Network Load Balancer of every Service with
 * `loadBalancerClass: service.k8s.aws/nlb` (the Kong proxy's), with IP targets and proxy protocol
 * as the Service's annotations say.
 */
export function awsLoadBalancerController(props: AwsLoadBalancerControllerProps): Unit[] {
  const replicas = props.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`awsLoadBalancerController replicas is ${replicas}; use a whole number of at least 1`);
  if (!/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/.test(props.vpcId)) throw new Error(`awsLoadBalancerController vpcId '${props.vpcId}' is not a VPC id; pass c.vpc.id`);

  const identity = identityUnit({
    project: LOAD_BALANCER_CONTROLLER_PROJECT,
    mechanism: 'pod-identity',
    render(scope, { cluster }) {
      new PodIdentityRole(scope, 'ControllerIdentity', {
        cluster,
        roleSuffix: LOAD_BALANCER_CONTROLLER_ROLE_SUFFIX,
        serviceAccountNamespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
        serviceAccountName: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
        statements: loadBalancerControllerStatements({ partition: partitionOf(cluster.region), region: cluster.region, account: cluster.account }),
      });
    },
  });

  const release: Unit = {
    name: LOAD_BALANCER_CONTROLLER_PROJECT,
    project: LOAD_BALANCER_CONTROLLER_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [identityUnitName(LOAD_BALANCER_CONTROLLER_PROJECT)],
    render(scope, { cluster }) {
      new HelmAddon<AwsLoadBalancerControllerValues>(scope, 'Controller', {
        name: 'aws-load-balancer-controller',
        namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
        createNamespace: false,
        chart: VERSIONS.awsLoadBalancerController,
        installsCrds: ['elbv2.k8s.aws'],
        values: {
          clusterName: eksClusterNameOf(cluster),
          region: cluster.region,
          vpcId: props.vpcId,
          replicaCount: replicas,
          serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
          enableServiceMutatorWebhook: false,
          createIngressClassResource: false,
          podDisruptionBudget: replicas > 1 ? { maxUnavailable: 1 } : {},
        },
      });
    },
  };
  return [identity, release];
}
