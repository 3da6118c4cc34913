import { Construct } from 'constructs';
import { RemovalPolicy, crossplaneDeletionPolicy } from '@flotilla/constructs';
import { policyDocumentJson, validateStatement, type PolicyStatement } from '@flotilla/model';
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
  /** @default 'aws' */
  readonly partition?: string;
}

/**
 * Resources the tag conditions are checked on, per service. EC2 and RDS calls also authorize
 * resources that are never tagged in the request (images, subnets, security groups, parameter
 * groups); a deny on `*` would block every call, so those services are scoped to the billable
 * resources. Other services' actions have one resource type.
 */
function billableResources(service: string, partition: string): string[] {
  if (service === 'ec2') return [`arn:${partition}:ec2:*:*:instance/*`, `arn:${partition}:ec2:*:*:volume/*`];
  if (service === 'rds') return [`arn:${partition}:rds:*:*:db:*`, `arn:${partition}:rds:*:*:cluster:*`];
  return ['*'];
}

/** One deny statement per service group (EC2, RDS, the rest), so each gets its billable resources. */
function denyByService(sid: string, actions: readonly string[], partition: string, conditions: PolicyStatement['conditions']): PolicyStatement[] {
  const groups = new Map<string, string[]>();
  for (const action of actions) {
    const service = action.split(':')[0]!;
    const key = service === 'ec2' || service === 'rds' ? service : 'other';
    groups.set(key, [...(groups.get(key) ?? []), action]);
  }
  const suffix: Record<string, string> = { ec2: 'Ec2', rds: 'Rds', other: '' };
  return ['ec2', 'rds', 'other']
    .filter((key) => groups.has(key))
    .map((key) => ({ sid: `${sid}${suffix[key]}`, effect: 'Deny' as const, actions: groups.get(key)!, resources: billableResources(key, partition), conditions }));
}

/**
 * Deny statements that make the cost-center tag mandatory: no create without it in the request, no
 * change to a resource that lacks it, no removing it. A deny wins over any allow of the principal.
 */
export function costCenterStatements(options: CostCenterStatementsOptions = {}): PolicyStatement[] {
  const tag = options.tagKey ?? COST_CENTER_TAG;
  if (!/^[\w.:/=+@-]{1,128}$/.test(tag)) throw new Error(`tagKey "${tag}" is not a valid AWS tag key (1-128 letters, digits and _.:/=+-@)`);
  const partition = options.partition ?? 'aws';
  return [
    ...denyByService('DenyCreateWithoutCostCenter', options.createActions ?? DEFAULT_CREATE_ACTIONS, partition, { Null: { [`aws:RequestTag/${tag}`]: 'true' } }),
    ...denyByService('DenyChangesWithoutCostCenter', options.taggedResourceActions ?? DEFAULT_TAGGED_RESOURCE_ACTIONS, partition, { Null: { [`aws:ResourceTag/${tag}`]: 'true' } }),
    // aws:TagKeys is request-wide, so removing the tag is denied on every resource.
    ...((options.untagActions ?? DEFAULT_UNTAG_ACTIONS).length > 0
      ? [{ sid: 'DenyRemovingCostCenter', effect: 'Deny' as const, actions: [...(options.untagActions ?? DEFAULT_UNTAG_ACTIONS)], resources: ['*'], conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [tag] } } }]
      : []),
  ];
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
