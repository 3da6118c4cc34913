import type { PolicyStatement } from '@flotilla/model';

export interface IamManagementGuards {
  /** Managed policies the controller may attach to roles, besides its own (`policyArnPatterns`). */
  readonly attachablePolicyArns: readonly string[];
  /** Tenant roles: created and given permissions only with this permissions boundary. @default - no tenant roles */
  readonly tenantRoles?: { readonly arnPattern: string; readonly boundaryArn: string };
}

/**
 * Permissions for a controller that manages IAM roles and customer-managed policies (ACK IAM,
 * Crossplane provider-aws-iam), limited to the given ARN patterns so it can never touch roles
 * outside its prefix or path (including its own and other controllers' roles). It can never remove a
 * permissions boundary, attach any managed policy but its own and `guards.attachablePolicyArns`, or
 * create or grant to a tenant role without the tenant boundary.
 */
export function iamManagementStatements(roleArnPatterns: readonly string[], policyArnPatterns: readonly string[], guards: IamManagementGuards): PolicyStatement[] {
  return [
    {
      sid: 'ManageRoles',
      actions: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:UpdateAssumeRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRoleTags',
        'iam:PutRolePolicy',
        'iam:GetRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:ListRolePolicies',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListInstanceProfilesForRole',
        'iam:PutRolePermissionsBoundary',
      ],
      resources: roleArnPatterns,
    },
    {
      sid: 'ManagePolicies',
      actions: [
        'iam:CreatePolicy',
        'iam:DeletePolicy',
        'iam:GetPolicy',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:GetPolicyVersion',
        'iam:ListPolicyVersions',
        'iam:ListEntitiesForPolicy',
        'iam:TagPolicy',
        'iam:UntagPolicy',
        'iam:ListPolicyTags',
      ],
      resources: policyArnPatterns,
    },
    // Explicit denies, so no allow added later (or a broader pattern) can make the controller an account admin.
    { sid: 'NeverRemoveBoundaries', effect: 'Deny', actions: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'], resources: ['*'] },
    {
      sid: 'AttachOnlyPlatformPolicies',
      effect: 'Deny',
      actions: ['iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:AttachGroupPolicy'],
      resources: ['*'],
      conditions: { ArnNotLike: { 'iam:PolicyARN': [...policyArnPatterns, ...guards.attachablePolicyArns] } },
    },
    ...(guards.tenantRoles
      ? [
          {
            sid: 'TenantRolesOnlyWithTheBoundary',
            effect: 'Deny' as const,
            actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'],
            resources: [guards.tenantRoles.arnPattern],
            conditions: { StringNotEquals: { 'iam:PermissionsBoundary': guards.tenantRoles.boundaryArn } },
          },
        ]
      : []),
  ];
}
