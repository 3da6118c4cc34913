import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { type ClusterConfig, type Unit, unitCallSite } from '@flotilla/config';
import {
  HelmAddon,
  PodIdentityRole,
  RemovalPolicy,
  VERSIONS,
  ackDeletionPolicy,
  clusterRoleName,
  eksClusterNameOf,
  identityUnit,
  identityUnitName,
  partitionOf,
  roleArn,
  ControllerNetworkPolicies,
} from '@flotilla/constructs';
import { policyDocumentJson, trustPolicyJson } from '@flotilla/model';
import * as ackEks from '@flotilla/k8s-apis/ack-eks';
import * as ackIam from '@flotilla/k8s-apis/ack-iam';
import { NODE_ROLE_MANAGED_POLICIES, karpenterControllerPolicy } from './controller-policy';
import { modelSyncStatements } from './model-sync';
import type { KarpenterNodePoolsProps } from './node-pools-unit';
import { interruptionQueueOf, karpenterInterruptionUnit, type KarpenterInterruptionProps } from './interruption';
import { spotToSpotConsolidationEnabled } from './spot-consolidation';

export const KARPENTER_NAMESPACE = 'karpenter';
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';
/** Role suffix of the controller identity: the IAM role is `<eks cluster name>-karpenter`. */
export const CONTROLLER_ROLE_SUFFIX = 'karpenter';
/** Role suffix of the node role: `<eks cluster name>-karpenter-node`. */
export const NODE_ROLE_SUFFIX = 'karpenter-node';
/** Name of the node role's inline policy for the GPU pool's model sync. */
export const MODEL_SYNC_POLICY = 'model-sync';

export interface KarpenterControllerProps {
  /**
   * Interruption handling: an encrypted SQS queue fed by EventBridge rules for spot interruption
   * warnings, rebalance recommendations, instance state changes and scheduled health events
   * (unit `karpenter.interruption`), the controller's `settings.interruptionQueue`, and
   * `sqs:ReceiveMessage`/`DeleteMessage`/`GetQueueUrl` on that queue only. Needs the ACK SQS and
   * EventBridge controllers. `false` turns it off.
   *
   * @default - on: queue `<eks cluster name>-karpenter-interruption`, SQS-managed SSE, retained
   */
  readonly interruption?: KarpenterInterruptionProps | false;
  /** @default 2 */
  readonly replicas?: number;
  /**
   * Create the node IAM role (`<eks cluster name>-karpenter-node`, trusted by EC2, with the four EKS
   * worker managed policies) and its EKS access entry. Turn off when the account baseline creates
   * them; then pass `nodeRoleName`.
   *
   * @default true
   */
  readonly createNodeRole?: boolean;
  /** @default - `<eks cluster name>-karpenter-node` */
  readonly nodeRoleName?: string;
  /** What deleting the ACK objects does to the IAM roles. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'error';
  /**
   * The props the cluster passes to `karpenterNodePools`, so controller settings follow the pools
   * (share one constant between the two units).
   *
   * @default - pools unknown: spotToSpotConsolidation defaults off
   */
  readonly nodePools?: KarpenterNodePoolsProps;
  /**
   * Feature gate `settings.featureGates.spotToSpotConsolidation`: Karpenter may replace a spot node by
   * a cheaper spot node. Only pools that pass the ≥ 15 instance-type check can allow spot.
   *
   * @default - true when a pool in `nodePools` allows spot, else false
   */
  readonly spotToSpotConsolidation?: boolean;
}

/** Values of the Karpenter 1.14 chart Flotilla sets. */
export interface KarpenterChartValues {
  readonly settings: {
    readonly clusterName: string;
    readonly interruptionQueue?: string;
    readonly featureGates: { readonly spotToSpotConsolidation: boolean };
  };
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  readonly replicas: number;
  readonly logLevel: string;
  readonly controller: { readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> } };
}

export function nodeRoleNameOf(cluster: ClusterConfig, props: { readonly nodeRoleName?: string }): string {
  return props.nodeRoleName ?? clusterRoleName(cluster, NODE_ROLE_SUFFIX);
}

/** Renders the controller's Pod Identity role and (optionally) the node role and its access entry. */
export function renderKarpenterIdentity(scope: Construct, cluster: ClusterConfig, props: KarpenterControllerProps): PodIdentityRole {
  const partition = partitionOf(cluster.region);
  const nodeRoleName = nodeRoleNameOf(cluster, props);
  const nodeRoleArn = roleArn(cluster, nodeRoleName);
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  new k8s.KubeNamespace(scope, 'Namespace', { metadata: { name: KARPENTER_NAMESPACE } });
  const identity = new PodIdentityRole(scope, 'Controller', {
    cluster,
    roleSuffix: CONTROLLER_ROLE_SUFFIX,
    serviceAccountNamespace: KARPENTER_NAMESPACE,
    serviceAccountName: KARPENTER_SERVICE_ACCOUNT,
    removalPolicy,
    statements: karpenterControllerPolicy({
      partition,
      account: cluster.account,
      region: cluster.region,
      clusterName: eksClusterNameOf(cluster),
      nodeRoleArn,
      ...(props.interruption === false ? {} : { interruptionQueueArn: interruptionQueueOf(cluster, props.interruption ?? {}).arn }),
    }),
  });
  const modelSync = props.nodePools?.gpu?.modelSync;
  if (modelSync && props.createNodeRole === false) {
    throw new Error(
      `karpenterController: nodePools.gpu.modelSync needs read access for the node role '${nodeRoleName}' to s3://${modelSync.bucketName}, but createNodeRole is false; let the unit create the role or grant it there`,
    );
  }
  if (props.createNodeRole ?? true) {
    new ackIam.Role(scope, 'NodeRole', {
      metadata: { name: NODE_ROLE_SUFFIX, namespace: KARPENTER_NAMESPACE, annotations: ackDeletionPolicy(removalPolicy) },
      spec: {
        name: nodeRoleName,
        description: `Nodes Karpenter launches for cluster ${eksClusterNameOf(cluster)}, managed by Flotilla`,
        assumeRolePolicyDocument: trustPolicyJson([{ principal: { Service: 'ec2.amazonaws.com' }, actions: ['sts:AssumeRole'] }]),
        policies: NODE_ROLE_MANAGED_POLICIES.map((name) => `arn:${partition}:iam::aws:policy/${name}`),
        // The GPU nodes' boot-time model sync reads its bucket prefix, and nothing else of S3.
        ...(modelSync ? { inlinePolicies: { [MODEL_SYNC_POLICY]: policyDocumentJson(modelSyncStatements(partition, modelSync)) } } : {}),
        tags: [{ key: 'flotilla.dev/cluster', value: cluster.name }],
      },
    });
    // Lets nodes running as the role join the cluster (EKS access entries instead of aws-auth).
    new ackEks.AccessEntry(scope, 'NodeAccessEntry', {
      metadata: { name: NODE_ROLE_SUFFIX, namespace: KARPENTER_NAMESPACE, annotations: ackDeletionPolicy(removalPolicy) },
      spec: { clusterName: eksClusterNameOf(cluster), principalArn: nodeRoleArn, type: 'EC2_LINUX' },
    });
  }
  return identity;
}

/** Renders the Karpenter HelmRelease (CRDs `karpenter.sh`, `karpenter.k8s.aws`) from the pinned OCI chart. */
export function renderKarpenterController(scope: Construct, cluster: ClusterConfig, props: KarpenterControllerProps): HelmAddon<KarpenterChartValues> {
  const replicas = props.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`karpenter replicas ${replicas} is not a positive whole number; use 2 for a highly available controller`);
  }
  // EC2, SQS, SSM and pricing over HTTPS; Karpenter 1.x serves no webhooks.
  new ControllerNetworkPolicies(scope, 'NetworkPolicies', { namespace: KARPENTER_NAMESPACE, awsApis: true });
  return new HelmAddon<KarpenterChartValues>(scope, 'Karpenter', {
    name: 'karpenter',
    namespace: KARPENTER_NAMESPACE,
    // The identity unit renders the namespace, so the ACK objects can land before the release.
    createNamespace: false,
    chart: VERSIONS.karpenter,
    installsCrds: ['karpenter.sh', 'karpenter.k8s.aws'],
    values: {
      settings: {
        clusterName: eksClusterNameOf(cluster),
        interruptionQueue: props.interruption === false ? undefined : interruptionQueueOf(cluster, props.interruption ?? {}).name,
        featureGates: { spotToSpotConsolidation: spotToSpotConsolidationEnabled(props) },
      },
      serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
      replicas,
      logLevel: props.logLevel ?? 'info',
      // Requests equal limits for memory: the controller holds the cluster's scheduling state.
      controller: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } } },
    },
  });
}

/**
 * The controller units (infra-controllers): `karpenter.identity` (namespace, Pod Identity role and
 * association, node role and access entry; after the ACK IAM and EKS controllers) and `karpenter`
 * (the HelmRelease, after its identity so the pods start with credentials); unless interruption
 * handling is off, also `karpenter.interruption` (infra-configs: the queue and its rules).
 */
export function karpenterController(props: KarpenterControllerProps = {}): Unit[] {
  return [
    identityUnit({
      project: 'karpenter',
      mechanism: 'pod-identity',
      render(scope, { cluster }) {
        renderKarpenterIdentity(scope, cluster, props);
      },
    }),
    {
      name: 'karpenter',
      project: 'karpenter',
      createdAt: unitCallSite(),
      layer: 'infra-controllers',
      dependsOn: [identityUnitName('karpenter')],
      render(scope, { cluster }) {
        renderKarpenterController(scope, cluster, props);
      },
    },
    ...(props.interruption === false ? [] : [karpenterInterruptionUnit(props.interruption ?? {})]),
  ];
}
