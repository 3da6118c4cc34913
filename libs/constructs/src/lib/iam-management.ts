import type { PolicyStatement } from './iam-policy';

/**
 * Permissions for a controller that manages IAM roles and customer-managed policies (ACK IAM,
 * Crossplane provider-aws-iam), limited to the given ARN patterns so it can never touch roles
 * outside its prefix or path (including its own and other controllers' roles).
 */
export function iamManagementStatements(roleArnPatterns: readonly string[], policyArnPatterns: readonly string[]): PolicyStatement[] {
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
        'iam:DeleteRolePermissionsBoundary',
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
  ];
}
