import { WorkloadValidationError } from './validation-error';

/** One IAM policy statement, typed instead of a hand-written JSON string. */
export interface PolicyStatement {
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** Actions, e.g. `secretsmanager:GetSecretValue`. */
  readonly actions: readonly string[];
  /** Resource ARNs (wildcards only where the ARN is not known in advance). @default - none (trust policies) */
  readonly resources?: readonly string[];
  /** Principal, for trust policies, e.g. `{ Service: 'pods.eks.amazonaws.com' }`. @default - none */
  readonly principal?: Record<string, string>;
  /** IAM condition block, operator → key → value(s). @default - none */
  readonly conditions?: Record<string, Record<string, string | readonly string[]>>;
}

/** The IAM JSON policy document for `statements`, with stable key order. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      Effect: s.effect ?? 'Allow',
      ...(s.principal ? { Principal: s.principal } : {}),
      Action: [...s.actions],
      ...(s.resources ? { Resource: [...s.resources] } : {}),
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** Throws unless a permission statement names actions and resources, none of them a bare `*`. */
export function assertLeastPrivilege(statement: PolicyStatement, prop = 'statements'): void {
  if (statement.actions.length === 0 || !statement.resources || statement.resources.length === 0) {
    throw new WorkloadValidationError('workloads/iam-policy', `'${prop}' has a statement without actions or resources; name both`);
  }
  const broad = [...statement.actions, ...statement.resources].filter((v) => v === '*' || v.endsWith(':*'));
  if (broad.length > 0 && statement.effect !== 'Deny') {
    throw new WorkloadValidationError(
      'workloads/iam-policy',
      `'${prop}' allows ${broad.map((b) => `'${b}'`).join(', ')}; workload roles must name their actions and resources`,
    );
  }
}
