import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as ackEks from '@flotilla/k8s-apis/ack-eks';
import * as ackIam from '@flotilla/k8s-apis/ack-iam';
import { Construct } from 'constructs';
import { assertLeastPrivilege, policyDocument, type PolicyStatement } from './iam-policy';
import { tenantLabels, type TeamRef } from './tenant-labels';
import { assertDnsLabel, WorkloadValidationError } from './validation-error';

/** How the workload's pods get AWS credentials. */
export enum IdentityMode {
  /** EKS Pod Identity: a `PodIdentityAssociation`, trust `pods.eks.amazonaws.com`, no per-cluster OIDC provider. */
  POD_IDENTITY = 'pod-identity',
  /** IRSA: the ServiceAccount annotation `eks.amazonaws.com/role-arn`, trust on the cluster's OIDC provider for exactly this account. */
  IRSA = 'irsa',
}

/** The cluster facts an identity needs; `ClusterConfig` satisfies it. */
export interface IdentityCluster {
  readonly name: string;
  readonly eksClusterName?: string;
  readonly account: string;
  readonly identity: { readonly oidcIssuerUrl: string };
}

export interface WorkloadIdentityProps {
  readonly team: TeamRef;
  /** ServiceAccount name in the team namespace. A DNS label. */
  readonly serviceAccountName: string;
  readonly cluster: IdentityCluster;
  /** @default IdentityMode.POD_IDENTITY */
  readonly mode?: IdentityMode;
  /** IAM role name (at most 64 characters). @default - `<eks cluster>-<namespace>-<service account>` */
  readonly roleName?: string;
  /** Statements of the role's inline policy. @default - none; add them with `addToPolicy` */
  readonly statements?: readonly PolicyStatement[];
  /** Permissions boundary every tenant role must carry, if the account requires one. @default - none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * A ServiceAccount with its own AWS identity: an ACK IAM `Role` whose trust names exactly this
 * account (IRSA) or the Pod Identity service, an inline least-privilege policy, and for Pod
 * Identity the ACK `PodIdentityAssociation` that links the two.
 *
 * Stateless on the AWS side, so no retain policy: deleting the app deletes its role.
 */
export class WorkloadIdentity extends Construct {
  readonly serviceAccount: kplus.ServiceAccount;
  readonly mode: IdentityMode;
  readonly roleName: string;
  readonly roleArn: string;
  private readonly statements: PolicyStatement[];

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    assertDnsLabel('serviceAccountName', props.serviceAccountName);
    if (props.serviceAccountName === 'default') {
      throw new WorkloadValidationError('workloads/identity', `'serviceAccountName' must not be 'default'; give the workload its own ServiceAccount so the namespace default stays without AWS access`);
    }
    this.mode = props.mode ?? IdentityMode.POD_IDENTITY;
    const { team, cluster } = props;
    const eksCluster = cluster.eksClusterName ?? cluster.name;
    this.roleName = props.roleName ?? `${eksCluster}-${team.namespace}-${props.serviceAccountName}`;
    if (!/^[\w+=,.@-]{1,64}$/.test(this.roleName)) {
      throw new WorkloadValidationError(
        'workloads/identity',
        `IAM role name '${this.roleName}' must be 1-64 characters of letters, digits and '+=,.@_-'; set 'roleName' to a shorter name`,
      );
    }
    this.roleArn = `arn:aws:iam::${cluster.account}:role/${this.roleName}`;
    this.statements = [];
    for (const statement of props.statements ?? []) this.addToPolicy(statement);
    const labels = { ...tenantLabels(team) };

    this.serviceAccount = new kplus.ServiceAccount(this, 'Resource', {
      metadata: {
        name: props.serviceAccountName,
        namespace: team.namespace,
        labels,
        ...(this.mode === IdentityMode.IRSA ? { annotations: { 'eks.amazonaws.com/role-arn': this.roleArn } } : {}),
      },
      automountToken: false,
    });

    const trust = this.mode === IdentityMode.IRSA ? irsaTrust(cluster, team.namespace, props.serviceAccountName) : podIdentityTrust(cluster);
    const roleObjectName = `${props.serviceAccountName}`;
    new ackIam.Role(this, 'Role', {
      metadata: { name: roleObjectName, namespace: team.namespace, labels },
      spec: {
        name: this.roleName,
        description: `${team.namespace}/${props.serviceAccountName} on ${eksCluster} (${this.mode})`,
        assumeRolePolicyDocument: policyDocument([trust]),
        inlinePolicies: Lazy.any({
          produce: () => (this.statements.length > 0 ? { [props.serviceAccountName]: policyDocument(this.statements) } : undefined),
        }) as unknown as Record<string, string>,
        ...(props.permissionsBoundaryArn ? { permissionsBoundary: props.permissionsBoundaryArn } : {}),
        tags: [
          { key: 'team', value: team.name },
          { key: 'cost-center', value: team.costCenter },
        ],
      },
    });

    if (this.mode === IdentityMode.POD_IDENTITY) {
      new ackEks.PodIdentityAssociation(this, 'Association', {
        metadata: { name: props.serviceAccountName, namespace: team.namespace, labels },
        spec: {
          clusterName: eksCluster,
          namespace: team.namespace,
          serviceAccount: props.serviceAccountName,
          roleRef: { from: { name: roleObjectName } },
        },
      });
    }
  }

  /** Adds a statement to the role's inline policy. */
  addToPolicy(statement: PolicyStatement): void {
    assertLeastPrivilege(statement);
    this.statements.push(statement);
  }
}

function irsaTrust(cluster: IdentityCluster, namespace: string, serviceAccount: string): PolicyStatement {
  const issuer = cluster.identity.oidcIssuerUrl.replace(/^https:\/\//, '');
  return {
    actions: ['sts:AssumeRoleWithWebIdentity'],
    conditions: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
    principal: { Federated: `arn:aws:iam::${cluster.account}:oidc-provider/${issuer}` },
  };
}

function podIdentityTrust(cluster: IdentityCluster): PolicyStatement {
  return {
    actions: ['sts:AssumeRole', 'sts:TagSession'],
    conditions: { StringEquals: { 'aws:SourceAccount': cluster.account } },
    principal: { Service: 'pods.eks.amazonaws.com' },
  };
}
