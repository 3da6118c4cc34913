/**
 * The IAM policy grammar (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html),
 * as IAM enforces it when ACK or Crossplane calls CreatePolicy, CreateRole or PutRolePolicy: a
 * document IAM rejects leaves the managed resource failing to sync while the PR looked fine.
 */

/** identity: attached to a user/role (no Principal); trust: a role's assume-role policy (Principal, no Resource); resource: e.g. a bucket policy. */
export type PolicyKind = 'identity' | 'trust' | 'resource';

/** One problem: a JSON path inside the document (`Statement[1].Effect`) and what is wrong. */
export interface PolicyProblem {
  readonly path: string;
  readonly message: string;
}

const VERSIONS = ['2012-10-17', '2008-10-17'];
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const OPERATORS = new Set([
  ...['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
  ...['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  ...['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  ...['Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
]);
const ACTION = /^(?:\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$/;

/** Whether a condition operator is valid: a base operator, optionally `…IfExists`, optionally prefixed by a set operator; or `Null`. */
export function isConditionOperator(operator: string): boolean {
  if (operator === 'Null') return true;
  const base = operator.replace(/^(?:ForAllValues|ForAnyValue):/, '').replace(/IfExists$/, '');
  return OPERATORS.has(base);
}

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const strings = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? [value] : Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;

/** Problems of a policy document given as JSON text (ACK and Crossplane carry policies as strings). */
export function policyProblems(text: string, kind: PolicyKind): PolicyProblem[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return [{ path: '', message: `is not valid JSON: ${(error as Error).message}` }];
  }
  const problems: PolicyProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(document)) return [{ path: '', message: 'must be a JSON object with Version and Statement' }];
  for (const key of Object.keys(document)) if (!TOP_LEVEL.has(key)) problem(key, `unknown top-level element "${key}" (allowed: Version, Id, Statement)`);
  if (document.Version !== undefined && !VERSIONS.includes(document.Version as string)) {
    problem('Version', `must be "2012-10-17" (or the legacy "2008-10-17"), got ${JSON.stringify(document.Version)}`);
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement === undefined ? undefined : [document.Statement];
  if (!statements || statements.length === 0) {
    problem('Statement', 'is missing or empty; a policy needs at least one statement');
    return problems;
  }
  const sids = new Set<string>();
  statements.forEach((statement: unknown, i: number) => {
    const at = Array.isArray(document.Statement) ? `Statement[${i}]` : 'Statement';
    if (!isObject(statement)) {
      problem(at, 'must be an object');
      return;
    }
    for (const key of Object.keys(statement)) if (!STATEMENT_KEYS.has(key)) problem(`${at}.${key}`, `unknown statement element "${key}"`);
    if (statement.Sid !== undefined) {
      if (typeof statement.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(statement.Sid)) problem(`${at}.Sid`, `must contain only letters and digits, got ${JSON.stringify(statement.Sid)}`);
      else if (statement.Sid && sids.has(statement.Sid)) problem(`${at}.Sid`, `"${statement.Sid}" is used by two statements; Sids must be unique`);
      else sids.add(statement.Sid);
    }
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') problem(`${at}.Effect`, `must be "Allow" or "Deny", got ${JSON.stringify(statement.Effect)}`);
    exactlyOne(statement, 'Action', 'NotAction', at, problem);
    for (const key of ['Action', 'NotAction']) {
      if (statement[key] === undefined) continue;
      const actions = strings(statement[key]);
      if (!actions) problem(`${at}.${key}`, 'must be a string or a non-empty list of strings');
      else for (const action of actions) if (!ACTION.test(action)) problem(`${at}.${key}`, `"${action}" is not an action ("service:Action", wildcards * and ? allowed, or "*")`);
    }
    if (kind === 'trust') {
      exactlyOne(statement, 'Principal', 'NotPrincipal', at, problem);
      for (const key of ['Resource', 'NotResource']) if (statement[key] !== undefined) problem(`${at}.${key}`, `a trust policy must not have ${key}`);
    } else {
      exactlyOne(statement, 'Resource', 'NotResource', at, problem);
      for (const key of ['Resource', 'NotResource']) {
        if (statement[key] === undefined) continue;
        const resources = strings(statement[key]);
        if (!resources) problem(`${at}.${key}`, 'must be a string or a non-empty list of strings');
        else for (const resource of resources) if (resource !== '*' && !resource.startsWith('arn:')) problem(`${at}.${key}`, `"${resource}" must be an ARN (arn:…) or "*"`);
      }
      if (kind === 'identity') for (const key of ['Principal', 'NotPrincipal']) if (statement[key] !== undefined) problem(`${at}.${key}`, `an identity policy must not have ${key}`);
      if (kind === 'resource') exactlyOne(statement, 'Principal', 'NotPrincipal', at, problem);
    }
    for (const key of ['Principal', 'NotPrincipal']) {
      const principal = statement[key];
      if (principal === undefined || principal === '*') continue;
      if (!isObject(principal)) problem(`${at}.${key}`, 'must be "*" or an object with AWS, Service, Federated or CanonicalUser');
      else for (const [type, value] of Object.entries(principal)) {
        if (!PRINCIPAL_KEYS.has(type)) problem(`${at}.${key}.${type}`, `unknown principal type "${type}" (allowed: AWS, Service, Federated, CanonicalUser)`);
        else if (!strings(value)) problem(`${at}.${key}.${type}`, 'must be a string or a non-empty list of strings');
      }
    }
    if (statement.Condition !== undefined) {
      if (!isObject(statement.Condition)) problem(`${at}.Condition`, 'must be an object of condition operators');
      else for (const [operator, block] of Object.entries(statement.Condition)) {
        if (!isConditionOperator(operator)) problem(`${at}.Condition.${operator}`, `unknown condition operator "${operator}" (e.g. StringEquals, StringLike, ArnLike, Bool, Null; optional IfExists suffix and ForAllValues:/ForAnyValue: prefix)`);
        else if (!isObject(block) || Object.keys(block).length === 0) problem(`${at}.Condition.${operator}`, 'must map condition keys to values');
        else for (const [conditionKey, value] of Object.entries(block)) {
          const valid = ['string', 'boolean', 'number'].includes(typeof value) || (Array.isArray(value) && value.every((item) => ['string', 'boolean', 'number'].includes(typeof item)));
          if (!valid) problem(`${at}.Condition.${operator}.${conditionKey}`, 'must be a string, number, boolean or a list of them');
        }
      }
    }
  });
  return problems;
}

function exactlyOne(statement: Record<string, unknown>, a: string, b: string, at: string, problem: (path: string, message: string) => void): void {
  const has = [a, b].filter((key) => statement[key] !== undefined);
  if (has.length === 0) problem(at, `needs ${a} or ${b}`);
  if (has.length === 2) problem(at, `has both ${a} and ${b}; use exactly one`);
}
