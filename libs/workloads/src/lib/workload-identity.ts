import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { ClusterConfig } from '@flotilla/config';
import { IrsaRole, PodIdentityRole, RemovalPolicy } from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';
import { Construct } from 'constructs';
import { NAMESPACE_PRINCIPAL_TAG, TENANT_PRINCIPAL_TAG, tenantBoundaryArn, tenantRoleName } from './tenant-boundary';
import { tenantLabels, type TeamRef } from './tenant-labels';
import { assertDnsLabel, WorkloadValidationError } from './validation-error';

/** How the workload's pods get AWS credentials. */
export enum IdentityMode {
  /** EKS Pod Identity: a `PodIdentityAssociation`, trust `pods.eks.amazonaws.com`, no per-cluster OIDC provider. */
  POD_IDENTITY = 'pod-identity',
  /** IRSA: the ServiceAccount annotation `eks.amazonaws.com/role-arn`, trust on the cluster's OIDC provider for exactly this account. */
  IRSA = 'irsa',
}

export interface WorkloadIdentityProps {
  readonly team: TeamRef;
  /** ServiceAccount name in the team namespace. A DNS label, not `default`. */
  readonly serviceAccountName: string;
  readonly cluster: ClusterConfig;
  /** @default - the cluster's `identity.defaultMode`, else IdentityMode.POD_IDENTITY */
  readonly mode?: IdentityMode;
  /** The role's inline policy; name exact actions and resources. At least one statement. */
  readonly statements: readonly PolicyStatement[];
  /**
   * Permissions boundary of the role. The cluster's `FlotillaTenantIam` constraint admits tenant
   * roles only with the tenant boundary, so override it only for a cluster whose constraint names
   * another boundary.
   *
   * @default tenantBoundaryArn(cluster) - `<eks cluster name>-tenant-boundary`, rendered by the tenants unit
   */
  readonly permissionsBoundaryArn?: string;
  /** What deleting the ACK Role object does to the IAM role. @default RemovalPolicy.DESTROY (stateless; an app's role goes with the app) */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A ServiceAccount with its own AWS identity, built on the shared `PodIdentityRole` / `IrsaRole`
 * constructs: an ACK IAM `Role` (`<eks cluster>-<namespace>-<service account>`, the tenant prefix)
 * whose trust names exactly this ServiceAccount, an inline least-privilege policy, the tenant
 * permissions boundary, the tags `tenant=<team>` and `kubernetes-namespace=<namespace>` (what the
 * boundary reads secrets by), and for Pod Identity the ACK `PodIdentityAssociation`. All objects
 * live in the team namespace and carry the team labels; together they pass `FlotillaTenantIam`.
 */
export class WorkloadIdentity extends Construct {
  readonly serviceAccount: kplus.ServiceAccount;
  readonly mode: IdentityMode;
  readonly roleName: string;
  readonly roleArn: string;
  /** The role's permissions boundary. */
  readonly permissionsBoundaryArn: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const { team, cluster } = props;
    assertDnsLabel('serviceAccountName', props.serviceAccountName);
    if (props.serviceAccountName === 'default') {
      throw new WorkloadValidationError(
        'workloads/identity',
        `'serviceAccountName' must not be 'default'; give the workload its own ServiceAccount so the namespace default stays without AWS access`,
      );
    }
    this.mode = props.mode ?? (cluster.identity.defaultMode === 'irsa' ? IdentityMode.IRSA : IdentityMode.POD_IDENTITY);
    const labels = { ...tenantLabels(team) };
    this.permissionsBoundaryArn = props.permissionsBoundaryArn ?? tenantBoundaryArn(cluster);
    const roleProps = {
      cluster,
      roleSuffix: `${team.namespace}-${props.serviceAccountName}`,
      roleName: tenantRoleName(cluster, team.namespace, props.serviceAccountName),
      serviceAccountNamespace: team.namespace,
      serviceAccountName: props.serviceAccountName,
      statements: props.statements,
      namespace: team.namespace,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      permissionsBoundaryArn: this.permissionsBoundaryArn,
    };
    const role = this.mode === IdentityMode.IRSA ? new IrsaRole(this, 'Role', roleProps) : new PodIdentityRole(this, 'Role', roleProps);
    this.roleName = role.roleName;
    this.roleArn = role.roleArn;
    // Principal tags the boundary compares with secret tags (Pod Identity also sets the namespace as a session tag).
    for (const [key, value] of [[TENANT_PRINCIPAL_TAG, team.name], [NAMESPACE_PRINCIPAL_TAG, team.namespace]]) {
      role.role.addJsonPatch(JsonPatch.add('/spec/tags/-', { key, value }));
    }
    for (const [key, value] of Object.entries(labels)) {
      role.role.metadata.addLabel(key, value);
      if (role instanceof PodIdentityRole) role.association.metadata.addLabel(key, value);
    }

    this.serviceAccount = new kplus.ServiceAccount(this, 'Resource', {
      metadata: {
        name: props.serviceAccountName,
        namespace: team.namespace,
        labels,
        ...(role instanceof IrsaRole ? { annotations: role.serviceAccountAnnotations } : {}),
      },
      automountToken: false,
    });
  }
}
