/**
 * Typed IAM policy documents, the one statement type of the workspace: identities (constructs) and the Lambda
 * contracts take statements, not JSON strings, so a typo in a key is a compile error and every statement is
 * checked for least privilege before it renders.
 */

export type ConditionValue = string | boolean | readonly string[];

/** `{ operator: { key: value } }`, e.g. `{ StringEquals: { 'aws:SourceAccount': '111111111111' } }`. */
export type Conditions = Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>;

/** A principal of a trust policy statement. */
export type Principal = { readonly Service: string } | { readonly Federated: string } | { readonly AWS: string | readonly string[] };

export interface PolicyStatement {
  /** Statement id; documents the statement's purpose. @default - none */
  readonly sid?: string;
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** Who the statement applies to; only in resource policies (e.g. a bucket policy), never in a role's policies. @default - none (identity policy) */
  readonly principal?: Principal | '*';
  /** `service:Action` names; a wildcard is allowed inside the action name (`rds:Describe*`) but `*` alone is not. */
  readonly actions: readonly string[];
  /** ARNs (or ARN patterns) the actions apply to. */
  readonly resources: readonly string[];
  /** @default - none */
  readonly conditions?: Conditions;
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

/** Checks one permission statement; `where` names the owner in error messages. */
export function validateStatement(statement: PolicyStatement, where: string): void {
  const label = statement.sid ? `${where} statement '${statement.sid}'` : `${where} statement`;
  if (statement.actions.length === 0) {
    throw new Error(`${label} has no actions; list the 'service:Action' names it allows`);
  }
  for (const action of statement.actions) {
    // Broad Deny statements are guard rails, not grants.
    if ((statement.effect ?? 'Allow') === 'Allow' && (action === '*' || action.endsWith(':*'))) {
      throw new Error(`${label} allows '${action}', which grants every action of the service; list the actions the controller calls`);
    }
    if (action !== '*' && !ACTION.test(action)) {
      throw new Error(`${label} has action '${action}'; write actions as 'service:Action', e.g. 'rds:DescribeDBInstances'`);
    }
  }
  if (statement.resources.length === 0) {
    throw new Error(`${label} has no resources; list the ARNs the actions apply to ('*' only for actions that support no resource ARN)`);
  }
}

export interface PolicyDocumentOptions {
  /**
   * Write a single action or resource as a one-element list instead of a bare string. The Lambda execution roles
   * have always been rendered this way; IAM reads both forms alike.
   *
   * @default false
   */
  readonly alwaysLists?: boolean;
}

/** The policy as IAM JSON. Keys come out in IAM's order so the rendered string is stable. */
export function policyDocumentJson(statements: readonly PolicyStatement[], options: PolicyDocumentOptions = {}): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((statement) => statementJson(statement, options.alwaysLists ?? false)) });
}

function statementJson(statement: PolicyStatement, alwaysLists: boolean): Record<string, unknown> {
  const list = (values: readonly string[]): string | string[] => (values.length === 1 && !alwaysLists ? values[0] : [...values]);
  return {
    ...(statement.sid ? { Sid: statement.sid } : {}),
    Effect: statement.effect ?? 'Allow',
    ...(statement.principal ? { Principal: statement.principal } : {}),
    Action: list(statement.actions),
    Resource: list(statement.resources),
    ...(statement.conditions ? { Condition: statement.conditions } : {}),
  };
}

/** One trust (assume-role) statement. */
export interface TrustStatement {
  readonly principal: Principal;
  readonly actions: readonly string[];
  /** @default - none */
  readonly conditions?: Conditions;
}

export function trustPolicyJson(statements: readonly TrustStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((statement) => ({
      Effect: 'Allow',
      Principal: statement.principal,
      Action: statement.actions.length === 1 ? statement.actions[0] : [...statement.actions],
      ...(statement.conditions ? { Condition: statement.conditions } : {}),
    })),
  });
}
