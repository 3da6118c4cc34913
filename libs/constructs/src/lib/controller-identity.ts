import { Construct } from 'constructs';
import type { ClusterConfig } from '@flotilla/config';
import * as ackEks from '@flotilla/k8s-apis/ack-eks';
import * as ackIam from '@flotilla/k8s-apis/ack-iam';
import { clusterRoleName, eksClusterArn, eksClusterNameOf, oidcProviderArn, oidcProviderHost, roleArn } from './aws-facts';
import { policyDocumentJson, trustPolicyJson, validateStatement, type PolicyStatement, type TrustStatement } from '@flotilla/model';
import { RemovalPolicy, ackDeletionPolicy } from './removal-policy';

/**
 * Units whose releases install the CRDs the identity constructs render: `ack.iam` installs
 * `iam.services.k8s.aws` (Role), `ack.eks` installs `eks.services.k8s.aws` (PodIdentityAssociation).
 * A unit holding a {@link PodIdentityRole} lists {@link POD_IDENTITY_UNITS} in `dependsOn`; one
 * holding only an {@link IrsaRole} lists {@link IRSA_ROLE_UNITS}.
 */
export const ACK_IAM_UNIT = 'ack.iam';
export const ACK_EKS_UNIT = 'ack.eks';
export const POD_IDENTITY_UNITS: readonly string[] = [ACK_IAM_UNIT, ACK_EKS_UNIT];
export const IRSA_ROLE_UNITS: readonly string[] = [ACK_IAM_UNIT];

/**
 * Namespace of the ACK controllers and, by default, of every identity object. It exists before any
 * identity unit applies (the `ack.iam` unit creates it), and keeps IAM objects out of tenant reach.
 */
export const IDENTITY_NAMESPACE = 'ack-system';

/** The IRSA ServiceAccount annotation. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

export interface ControllerIdentityProps {
  /** The cluster the identity is for; account, region, cluster name and OIDC issuer come from it. */
  readonly cluster: ClusterConfig;
  /**
   * Short name of the identity; the IAM role is `<eks cluster name>-<roleSuffix>` and the ACK
   * objects are named `<roleSuffix>`.
   */
  readonly roleSuffix: string;
  /** Namespace of the ServiceAccount that gets the role. */
  readonly serviceAccountNamespace: string;
  /** The ServiceAccount that gets the role. */
  readonly serviceAccountName: string;
  /** Permissions, rendered as one inline policy named `<roleSuffix>`. At least one statement. */
  readonly statements: readonly PolicyStatement[];
  /** Namespace of the ACK objects. @default IDENTITY_NAMESPACE ('ack-system') */
  readonly namespace?: string;
  /** What deleting the ACK Role object does to the IAM role. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - '<namespace>/<service account> on cluster <name>, managed by Flotilla' */
  readonly description?: string;
  /** Permissions boundary ARN applied to the role. @default - none */
  readonly permissionsBoundaryArn?: string;
  /** IAM role name (tenant roles use their own scheme). @default - `<eks cluster name>-<roleSuffix>` */
  readonly roleName?: string;
}

export interface PodIdentityRoleProps extends ControllerIdentityProps {
  /**
   * Let EKS Pod Identity add its session tags (`kubernetes-namespace`, `kubernetes-service-account`,
   * `eks-cluster-name`, …). With tags on, the trust policy also requires the namespace and service
   * account tags to match, so the role cannot be associated with any other service account. Turn
   * them off (`disableSessionTags: true` on the association) for controllers that chain into roles
   * whose trust allows only their own session tags: Pod Identity tags are transitive. The trust is
   * then limited to this cluster only.
   *
   * @default true
   */
  readonly sessionTags?: boolean;
}

interface RoleParts {
  readonly trust: readonly TrustStatement[];
}

/** Shared part of both identities: validation and the ACK `Role`. */
abstract class ControllerRole extends Construct {
  /** IAM role name, `<eks cluster name>-<roleSuffix>`. */
  readonly roleName: string;
  readonly roleArn: string;
  /** The ACK `Role` object (metadata.name = roleSuffix). */
  readonly role: ackIam.Role;
  readonly objectNamespace: string;

  protected constructor(scope: Construct, id: string, props: ControllerIdentityProps, parts: RoleParts) {
    super(scope, id);
    const where = `identity '${props.roleSuffix}'`;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.roleSuffix)) {
      throw new Error(`${where}: roleSuffix must be a DNS label (lowercase letters, digits and '-'), got '${props.roleSuffix}'`);
    }
    if (props.statements.length === 0) {
      throw new Error(`${where} has no permission statements; give the controller the actions it calls, nothing more`);
    }
    props.statements.forEach((statement) => validateStatement(statement, where));
    if (props.roleName !== undefined && !/^[\w+=,.@-]{1,64}$/.test(props.roleName)) {
      throw new Error(`${where}: roleName '${props.roleName}' is not a valid IAM role name; use at most 64 letters, digits and '+=,.@_-', so shorten the namespace or service account name`);
    }
    this.roleName = props.roleName ?? clusterRoleName(props.cluster, props.roleSuffix);
    this.roleArn = roleArn(props.cluster, this.roleName);
    this.objectNamespace = props.namespace ?? IDENTITY_NAMESPACE;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const permissions = policyDocumentJson(props.statements);
    const trust = trustPolicyJson(parts.trust);
    // IAM quotas: inline policies of a role 10,240 characters in total, trust policy 2,048 (default).
    if (permissions.length > 10_240) {
      throw new Error(`${where}: its policy is ${permissions.length} characters, over IAM's 10,240 for a role's inline policies; merge statements or use wildcards inside action names (e.g. 'rds:Describe*')`);
    }
    if (trust.length > 2_048) {
      throw new Error(`${where}: its trust policy is ${trust.length} characters, over IAM's default 2,048; shorten the service account or namespace names`);
    }

    this.role = new ackIam.Role(this, 'Resource', {
      metadata: { name: props.roleSuffix, namespace: this.objectNamespace, annotations: ackDeletionPolicy(removalPolicy) },
      spec: {
        name: this.roleName,
        description:
          props.description ??
          `${props.serviceAccountNamespace}/${props.serviceAccountName} on cluster ${eksClusterNameOf(props.cluster)}, managed by Flotilla`,
        assumeRolePolicyDocument: trust,
        inlinePolicies: { [props.roleSuffix]: permissions },
        ...(props.permissionsBoundaryArn ? { permissionsBoundary: props.permissionsBoundaryArn } : {}),
        tags: [
          { key: 'flotilla.dev/cluster', value: props.cluster.name },
          { key: 'flotilla.dev/service-account', value: `${props.serviceAccountNamespace}/${props.serviceAccountName}` },
        ],
      },
    });
  }
}

/**
 * An IAM role for a controller's ServiceAccount through **EKS Pod Identity**: an ACK `Role` trusted
 * by `pods.eks.amazonaws.com` (only from this cluster, only for this namespace and ServiceAccount,
 * via the session tags Pod Identity sets) plus the ACK `PodIdentityAssociation` binding it.
 *
 * Pods get credentials only if the association exists when they start, so render the identity in
 * a unit the controller's unit depends on.
 */
export class PodIdentityRole extends ControllerRole {
  readonly association: ackEks.PodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    const sessionTags = props.sessionTags ?? true;
    super(scope, id, props, {
      trust: [
        {
          principal: { Service: 'pods.eks.amazonaws.com' },
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          conditions: {
            StringEquals: {
              'aws:SourceAccount': props.cluster.account,
              ...(sessionTags
                ? {
                    'aws:RequestTag/kubernetes-namespace': props.serviceAccountNamespace,
                    'aws:RequestTag/kubernetes-service-account': props.serviceAccountName,
                  }
                : {}),
            },
            ArnEquals: { 'aws:SourceArn': eksClusterArn(props.cluster) },
          },
        },
      ],
    });
    this.association = new ackEks.PodIdentityAssociation(this, 'Association', {
      metadata: { name: props.roleSuffix, namespace: this.objectNamespace },
      spec: {
        clusterName: eksClusterNameOf(props.cluster),
        namespace: props.serviceAccountNamespace,
        serviceAccount: props.serviceAccountName,
        ...(sessionTags ? {} : { disableSessionTags: true }),
        // A reference (not the ARN string) makes the EKS controller wait until the Role is synced.
        roleRef: { from: { name: props.roleSuffix, namespace: this.objectNamespace } },
      },
    });
  }
}

/**
 * An IAM role for a ServiceAccount through **IRSA**: an ACK `Role` trusted by the cluster's OIDC
 * provider for exactly `system:serviceaccount:<ns>:<sa>` with audience `sts.amazonaws.com`. Put
 * {@link serviceAccountAnnotations} on the ServiceAccount. Use it for controllers that cannot use
 * Pod Identity, or that must run before the EKS controller can create associations.
 *
 * Needs the cluster's IAM OIDC provider to exist in the account (created with the cluster).
 */
export class IrsaRole extends ControllerRole {
  constructor(scope: Construct, id: string, props: ControllerIdentityProps) {
    const host = oidcProviderHost(props.cluster);
    super(scope, id, props, {
      trust: [
        {
          principal: { Federated: oidcProviderArn(props.cluster) },
          actions: ['sts:AssumeRoleWithWebIdentity'],
          conditions: {
            StringEquals: {
              [`${host}:sub`]: `system:serviceaccount:${props.serviceAccountNamespace}:${props.serviceAccountName}`,
              [`${host}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    });
  }

  /** `{ 'eks.amazonaws.com/role-arn': <arn> }` for the ServiceAccount. */
  get serviceAccountAnnotations(): Record<string, string> {
    return { [IRSA_ROLE_ANNOTATION]: this.roleArn };
  }
}
