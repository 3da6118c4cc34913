import type { ClusterConfig } from '@flotilla/config';
import {
  eksClusterNameOf,
  iamManagementStatements,
  oidcProviderArn,
  oidcProviderHost,
  partitionOf,
  tenantRoleArnPattern,
} from '@flotilla/constructs';
import type { PolicyStatement, TrustStatement } from '@flotilla/model';
import { tenantBoundaryArn } from '@flotilla/workloads';

export const ACK_NAMESPACE = 'ack-system';

/** ServiceAccount of an ACK controller: `ack-<service>-controller`. */
export function ackServiceAccount(service: string): string {
  return `ack-${service}-controller`;
}

/** AWS managed policies platform roles attach (Karpenter's node role, the AppConfig sync Lambda). */
export function platformManagedPolicyArns(cluster: ClusterConfig): string[] {
  const aws = `arn:${partitionOf(cluster.region)}:iam::aws:policy/`;
  return ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore', 'service-role/AWSLambdaBasicExecutionRole'].map(
    (name) => `${aws}${name}`,
  );
}

/** What the account baseline must create for the ACK IAM controller (it cannot create its own role). */
export interface AckIamBootstrap {
  /** From `cluster.bootstrap.ackIamControllerRoleArn`. */
  readonly roleArn: string;
  /** IRSA trust: the cluster's OIDC provider, for exactly `system:serviceaccount:ack-system:ack-iam-controller`. */
  readonly trust: readonly TrustStatement[];
  /** The least privilege the controller needs: roles and policies named `<cluster>-*` only. */
  readonly statements: readonly PolicyStatement[];
}

/**
 * The bootstrap role the IAM controller runs as, described from the cluster's facts so the
 * account baseline (Terraform/CloudFormation outside the cluster) can be generated or checked
 * against it.
 */
export function ackIamBootstrap(cluster: ClusterConfig): AckIamBootstrap {
  const roleArn = cluster.bootstrap.ackIamControllerRoleArn;
  const expected = `arn:${partitionOf(cluster.region)}:iam::${cluster.account}:role/`;
  if (!roleArn.startsWith(expected)) {
    throw new Error(
      `cluster '${cluster.name}' bootstrap.ackIamControllerRoleArn '${roleArn}' must be a role in the cluster's account, starting with '${expected}'`,
    );
  }
  const host = oidcProviderHost(cluster);
  const iam = `arn:${partitionOf(cluster.region)}:iam::${cluster.account}`;
  const prefix = `${eksClusterNameOf(cluster)}-*`;
  return {
    roleArn,
    trust: [
      {
        principal: { Federated: oidcProviderArn(cluster) },
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions: {
          StringEquals: {
            [`${host}:sub`]: `system:serviceaccount:${ACK_NAMESPACE}:${ackServiceAccount('iam')}`,
            [`${host}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
    statements: [
      // Tenant roles are `<eks cluster name>.<namespace>.<service account>` (see tenantRoleName).
      ...iamManagementStatements([`${iam}:role/${prefix}`, tenantRoleArnPattern(cluster)], [`${iam}:policy/${prefix}`], {
        attachablePolicyArns: platformManagedPolicyArns(cluster),
        tenantRoles: { arnPattern: tenantRoleArnPattern(cluster), boundaryArn: tenantBoundaryArn(cluster) },
      }),
      // The bootstrap role may itself match the prefix; the controller must never edit its own permissions.
      { sid: 'ProtectOwnRole', effect: 'Deny', actions: ['iam:*'], resources: [roleArn] },
    ],
  };
}
