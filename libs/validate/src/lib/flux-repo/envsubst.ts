/**
 * Flux's post-build variable substitution (kustomize-controller, fluxcd/pkg/envsubst): only the
 * braced form is replaced, `$var` stays as it is, and `$${var}` escapes to a literal `${var}`.
 */

/** Names kustomize-controller accepts (`^[_[:alpha:]][_[:alpha:][:digit:]]*$`). */
export const VAR_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;

export interface SubstitutionProblem {
  readonly severity: 'error' | 'warning';
  /** The text as written, e.g. `${cluster_env`. */
  readonly text: string;
  readonly message: string;
  readonly fix: string;
}

export interface SubstitutionResult {
  readonly output: string;
  readonly problems: SubstitutionProblem[];
}

/**
 * Replaces `${var}`, `${var:=default}`, `${var:-default}` (default when unset or empty) and
 * `${var=default}`, `${var-default}` (default when unset). An unset variable without a default becomes
 * empty, as the controller does unless StrictPostBuildSubstitutions is on (a warning here); a brace
 * that never closes or a bad variable name fails the controller's build (an error here).
 */
export function substitute(input: string, vars: ReadonlyMap<string, string>): SubstitutionResult {
  const problems: SubstitutionProblem[] = [];
  let output = '';
  let i = 0;
  while (i < input.length) {
    const dollar = input.indexOf('$', i);
    if (dollar < 0) {
      output += input.slice(i);
      break;
    }
    output += input.slice(i, dollar);
    if (input.startsWith('$${', dollar)) {
      output += '${';
      i = dollar + 3;
      continue;
    }
    if (input[dollar + 1] !== '{') {
      output += '$';
      i = dollar + 1;
      continue;
    }
    const close = input.indexOf('}', dollar + 2);
    const lineEnd = input.indexOf('\n', dollar);
    if (close < 0 || (lineEnd >= 0 && close > lineEnd)) {
      const text = input.slice(dollar, lineEnd < 0 ? undefined : lineEnd).trimEnd();
      problems.push({
        severity: 'error',
        text,
        message: `variable substitution fails: "${text}" has no closing brace`,
        fix: 'close the variable with } (e.g. ${name}), or write $${ for a literal ${',
      });
      output += text;
      i = dollar + text.length;
      continue;
    }
    const text = input.slice(dollar, close + 1);
    output += expand(text, input.slice(dollar + 2, close), vars, problems);
    i = close + 1;
  }
  return { output, problems };
}

function expand(text: string, body: string, vars: ReadonlyMap<string, string>, problems: SubstitutionProblem[]): string {
  const match = /^([^:=\-}]*)(:=|:-|=|-)?([\s\S]*)$/.exec(body)!;
  const name = match[1]!;
  const operator = match[2];
  if (!VAR_NAME.test(name)) {
    problems.push({
      severity: 'error',
      text,
      message: `variable substitution fails: "${text}" is not a valid variable ("${name}" must match ${VAR_NAME.source})`,
      fix: 'use a name of letters, digits and underscores that does not start with a digit, or write $${ for a literal ${',
    });
    return text;
  }
  if (operator === undefined && match[3] !== '') return text;
  const value = vars.get(name);
  if (operator === ':=' || operator === ':-') return value === undefined || value === '' ? match[3]! : value;
  if (operator === '=' || operator === '-') return value === undefined ? match[3]! : value;
  if (value !== undefined) return value;
  problems.push({
    severity: 'warning',
    text,
    message: `variable ${name} is not defined in postBuild.substitute or substituteFrom; Flux replaces "${text}" with an empty string`,
    fix: `define ${name} in spec.postBuild.substitute (or a substituteFrom ConfigMap), or give a default: \${${name}:=value}`,
  });
  return '';
}
