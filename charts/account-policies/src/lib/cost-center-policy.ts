import { Construct } from 'constructs';
import { RemovalPolicy, crossplaneDeletionPolicy, policyDocumentJson, validateStatement, type PolicyStatement } from '@flotilla/constructs';
import * as xp from '@flotilla/k8s-apis/crossplane-aws';

/** The tag every billable resource must carry. */
export const COST_CENTER_TAG = 'CostCenter';

/**
 * Create calls that must carry the cost-center tag in the request (every one supports
 * `aws:RequestTag` and tag-on-create).
 */
export const DEFAULT_CREATE_ACTIONS: readonly string[] = [
  'ec2:RunInstances',
  'ec2:CreateVolume',
  'rds:CreateDBInstance',
  'rds:CreateDBCluster',
  'secretsmanager:CreateSecret',
  'lambda:CreateFunction',
  'dynamodb:CreateTable',
  'sqs:CreateQueue',
  'sns:CreateTopic',
];

/**
 * Calls on existing resources that are denied while the resource lacks the tag (each resource type
 * supports `aws:ResourceTag`). Deletes are left out on purpose, so untagged leftovers can be removed.
 */
export const DEFAULT_TAGGED_RESOURCE_ACTIONS: readonly string[] = [
  'ec2:StartInstances',
  'ec2:StopInstances',
  'ec2:RebootInstances',
  'ec2:ModifyInstanceAttribute',
  'rds:ModifyDBInstance',
  'rds:StartDBInstance',
  'rds:StopDBInstance',
  'rds:RebootDBInstance',
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecret',
];

/** Untag calls that must not remove the cost-center tag. */
export const DEFAULT_UNTAG_ACTIONS: readonly string[] = [
  'ec2:DeleteTags',
  'rds:RemoveTagsFromResource',
  'secretsmanager:UntagResource',
  'lambda:UntagResource',
  'dynamodb:UntagResource',
  'sqs:UntagQueue',
  'sns:UntagResource',
];

export interface CostCenterStatementsOptions {
  /** @default COST_CENTER_TAG ('CostCenter') */
  readonly tagKey?: string;
  /** @default DEFAULT_CREATE_ACTIONS */
  readonly createActions?: readonly string[];
  /** @default DEFAULT_TAGGED_RESOURCE_ACTIONS */
  readonly taggedResourceActions?: readonly string[];
  /** @default DEFAULT_UNTAG_ACTIONS */
  readonly untagActions?: readonly string[];
}

/**
 * Deny statements that make the cost-center tag mandatory: no create without it in the request, no
 * change to a resource that lacks it, no removing it. A deny wins over any allow of the principal.
 */
export function costCenterStatements(options: CostCenterStatementsOptions = {}): PolicyStatement[] {
  const tag = options.tagKey ?? COST_CENTER_TAG;
  if (!/^[\w.:/=+@-]{1,128}$/.test(tag)) throw new Error(`tagKey "${tag}" is not a valid AWS tag key (1-128 letters, digits and _.:/=+-@)`);
  const statements: PolicyStatement[] = [
    { sid: 'DenyCreateWithoutCostCenter', effect: 'Deny', actions: [...(options.createActions ?? DEFAULT_CREATE_ACTIONS)], resources: ['*'], conditions: { Null: { [`aws:RequestTag/${tag}`]: 'true' } } },
    { sid: 'DenyChangesToResourcesWithoutCostCenter', effect: 'Deny', actions: [...(options.taggedResourceActions ?? DEFAULT_TAGGED_RESOURCE_ACTIONS)], resources: ['*'], conditions: { Null: { [`aws:ResourceTag/${tag}`]: 'true' } } },
    { sid: 'DenyRemovingCostCenter', effect: 'Deny', actions: [...(options.untagActions ?? DEFAULT_UNTAG_ACTIONS)], resources: ['*'], conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [tag] } } },
  ];
  return statements.filter((statement) => statement.actions.length > 0);
}

/** Who the policy is attached to: existing IAM roles and groups of the account, by name. */
export interface PolicyAttachments {
  /** @default - none */
  readonly roles?: readonly string[];
  /** @default - none */
  readonly groups?: readonly string[];
}

export interface CostCenterPolicyProps extends CostCenterStatementsOptions {
  /** IAM policy name, also `metadata.name` of the Crossplane Policy; a DNS subdomain. */
  readonly name: string;
  readonly attachTo: PolicyAttachments;
  /** Crossplane `ProviderConfig` (aws.upbound.io) the resources use. @default 'default' */
  readonly providerConfigName?: string;
  /** @default RemovalPolicy.RETAIN (`deletionPolicy: Orphan`: deleting the objects keeps the policy and attachments in AWS) */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - 'Deny actions on resources without the <tag> tag, managed by Flotilla' */
  readonly description?: string;
  /**
   * IAM path of the policy. The Crossplane AWS IAM provider may only manage policies under its
   * path (`/crossplane/<cluster>/` by default), so set it to that path.
   *
   * @default '/'
   */
  readonly path?: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IAM_NAME = /^[\w+=,.@-]{1,128}$/;

/**
 * The cost-center IAM policy as Crossplane managed resources (`iam.aws.upbound.io/v1beta1`): one
 * `Policy` and a `RolePolicyAttachment` / `GroupPolicyAttachment` per principal, all orphaned on
 * delete by default.
 */
export class CostCenterPolicy extends Construct {
  readonly policyName: string;
  readonly statements: readonly PolicyStatement[];
  readonly policy: xp.Policy;

  constructor(scope: Construct, id: string, props: CostCenterPolicyProps) {
    super(scope, id);
    if (!DNS_SUBDOMAIN.test(props.name) || props.name.length > 128) {
      throw new Error(`CostCenterPolicy name "${props.name}" must be lowercase letters, digits, '-' and '.' (at most 128), as it is both the object and the IAM policy name`);
    }
    const roles = props.attachTo.roles ?? [];
    const groups = props.attachTo.groups ?? [];
    if (roles.length + groups.length === 0) {
      throw new Error(`CostCenterPolicy "${props.name}": attachTo lists no role or group; a policy attached to nobody enforces nothing`);
    }
    for (const principal of [...roles, ...groups]) {
      if (!IAM_NAME.test(principal)) throw new Error(`CostCenterPolicy "${props.name}": "${principal}" is not an IAM role or group name (letters, digits and +=,.@_-)`);
    }
    if (props.path !== undefined && !/^\/([\w+=,.@-]+\/)*$/.test(props.path)) {
      throw new Error(`CostCenterPolicy "${props.name}": path "${props.path}" must start and end with '/', e.g. '/crossplane/dev/'`);
    }
    this.policyName = props.name;
    this.statements = costCenterStatements(props);
    this.statements.forEach((statement) => validateStatement(statement, `policy '${props.name}'`));
    const common = {
      deletionPolicy: crossplaneDeletionPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN),
      providerConfigRef: { name: props.providerConfigName ?? 'default' },
    };
    const tag = props.tagKey ?? COST_CENTER_TAG;

    this.policy = new xp.Policy(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        ...common,
        deletionPolicy: common.deletionPolicy as xp.PolicySpecDeletionPolicy,
        forProvider: {
          description: props.description ?? `Deny actions on resources without the ${tag} tag, managed by Flotilla`,
          policy: policyDocumentJson(this.statements),
          ...(props.path ? { path: props.path } : {}),
          tags: { 'flotilla.dev/managed-by': 'flotilla' },
        },
      },
    });
    const names = new Set<string>();
    const objectName = (kind: string, principal: string) => {
      const name = `${props.name}-${kind}-${principal.toLowerCase().replace(/[^a-z0-9.-]/g, '-')}`.replace(/-+/g, '-');
      if (names.has(name)) throw new Error(`CostCenterPolicy "${props.name}": ${kind} "${principal}" maps to the object name "${name}" twice; remove the duplicate`);
      names.add(name);
      return name;
    };
    for (const role of roles) {
      new xp.RolePolicyAttachment(this, `Role-${role}`, {
        metadata: { name: objectName('role', role) },
        spec: { ...common, deletionPolicy: common.deletionPolicy as xp.RolePolicyAttachmentSpecDeletionPolicy, forProvider: { role, policyArnRef: { name: props.name } } },
      });
    }
    for (const group of groups) {
      new xp.GroupPolicyAttachment(this, `Group-${group}`, {
        metadata: { name: objectName('group', group) },
        spec: { ...common, deletionPolicy: common.deletionPolicy as xp.GroupPolicyAttachmentSpecDeletionPolicy, forProvider: { group, policyArnRef: { name: props.name } } },
      });
    }
  }
}
