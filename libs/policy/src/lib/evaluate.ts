import { celActivation, celLazyObject, CelEvaluationError, toCelValue, type CelProgram } from '@flotilla/cel';
import { apiGroupOf, apiVersionOf, describeObject, type KubeObject, type RenderedObject } from '@flotilla/model';
import { DEFAULT_ENFORCEMENT_POINT, resolveEnforcement, type ResolvedEnforcement } from './enforcement';
import { constraintMatches, kindsMatch, type ConstraintMatch, type NamespaceLookup } from './match';
import { constraintProblems } from './parameters-schema';
import { compileTemplate, type CompiledTemplate } from './template';

/** One failed validation of one constraint on one object. */
export interface PolicyViolation {
  /** ConstraintTemplate name, e.g. `flotillaallowedrepos`. */
  template: string;
  constraintKind: string;
  constraintName: string;
  /** deny | dryrun | warn | scoped */
  enforcementAction: string;
  /** For `scoped`: the actions that apply at the enforcement point, e.g. `['deny']`. */
  scopedEnforcementActions?: string[];
  /** `Kind namespace/name`. */
  object: string;
  file?: string;
  cluster?: string;
  message: string;
  /** True when the violation comes from an evaluation or match error (failurePolicy Fail), not from a failed check. */
  evaluationError?: boolean;
}

export interface EvaluatePoliciesInput {
  templates: readonly KubeObject[];
  constraints: KubeObject[];
  objects: RenderedObject[];
  /** @default 'gator.gatekeeper.sh' */
  enforcementPoint?: string;
  /**
   * failurePolicy of templates that do not set one (Gatekeeper's
   * `--default-k8s-native-validation-failure-policy`, since v3.24.0-beta.0).
   * @default 'Fail'
   */
  defaultFailurePolicy?: 'Fail' | 'Ignore';
}

/** What Gatekeeper's CEL driver sees for one admission review (a plain object for gator and CI). */
export interface Review {
  object: KubeObject | null;
  oldObject: KubeObject | null;
  /** AdmissionRequest fields; for a plain object only kind, name, namespace and an empty operation. */
  request: Record<string, unknown>;
}

export interface ReviewResult {
  message: string;
  evaluationError: boolean;
}

/** The request Gatekeeper builds for a plain object (gator, audit): kind, name, namespace, operation "". */
export function requestFor(object: KubeObject): Record<string, unknown> {
  const kind = { group: apiGroupOf(object.apiVersion), version: apiVersionOf(object.apiVersion), kind: object.kind };
  return { kind, name: object.metadata?.name ?? '', namespace: object.metadata?.namespace ?? '', operation: '' };
}

const MAX_MESSAGE_BYTES = 5 * 1024;

function messageFrom(program: CelProgram | undefined, activation: Record<string, unknown>): string | undefined {
  if (!program) return undefined;
  try {
    const value = program.evaluate(activation);
    if (typeof value !== 'string') return undefined;
    const text = value.trim();
    if (!text || text.includes('\n') || Buffer.byteLength(text) > MAX_MESSAGE_BYTES) return undefined;
    return text;
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof CelEvaluationError ? error.reason : error instanceof Error ? error.message : String(error);
}

/**
 * Runs one compiled template with one constraint on one review, as Gatekeeper's K8sNativeValidation
 * driver does: match conditions first, then every validation; each validation that is not `true`
 * yields one result; errors yield a result under failurePolicy Fail and nothing under Ignore.
 * `match` is not applied here (see {@link constraintMatches}).
 */
export function reviewConstraint(
  template: CompiledTemplate,
  constraint: KubeObject,
  review: Review,
  namespaceObject: KubeObject | null,
  defaultFailurePolicy: 'Fail' | 'Ignore' = 'Fail',
): ReviewResult[] {
  const failurePolicy = template.failurePolicySet ? template.failurePolicy : defaultFailurePolicy;
  const anyObject = review.request.operation === 'DELETE' && review.object === null ? review.oldObject : review.object;
  const spec = constraint.spec as { parameters?: unknown } | undefined;
  const activation = celActivation({
    object: review.object,
    oldObject: review.oldObject,
    request: review.request,
    namespaceObject,
    params: constraint,
    variables: null,
  });
  activation.variables = celLazyObject(template.variableNames, (name) => {
    if (name === 'anyObject') return toCelValue(anyObject);
    if (name === 'params') return toCelValue(spec?.parameters ?? null);
    const variable = template.variables.find((v) => v.name === name)!;
    try {
      return variable.program.evaluate(activation);
    } catch (error) {
      throw new Error(`composited variable "${name}" fails to evaluate: ${errorText(error)}`);
    }
  });

  const results: ReviewResult[] = [];
  const onError = (error: unknown): void => {
    if (failurePolicy === 'Fail') results.push({ message: errorText(error), evaluationError: true });
  };
  for (const condition of template.matchConditions) {
    try {
      if (condition.program.evaluate(activation) !== true) return [];
    } catch (error) {
      onError(new Error(`matchCondition ${condition.name}: ${errorText(error)}`));
      return results;
    }
  }
  for (const validation of template.validations) {
    let value: unknown;
    try {
      value = validation.program.evaluate(activation);
    } catch (error) {
      onError(error);
      continue;
    }
    if (value === true) continue;
    if (value !== false) {
      onError(new Error(`validation expression must evaluate to bool, got ${typeof value}: ${validation.expression}`));
      continue;
    }
    const message = messageFrom(validation.messageExpression, activation) ?? validation.message?.trim() ?? `failed expression: ${validation.expression.trim()}`;
    results.push({ message: message || `failed expression: ${validation.expression.trim()}`, evaluationError: false });
  }
  return results;
}

interface CompiledConstraint {
  readonly constraint: KubeObject;
  readonly template: CompiledTemplate;
  readonly enforcement: ResolvedEnforcement;
  readonly match: ConstraintMatch | undefined;
}

/** Pairs each constraint with its template (by kind) and resolves its enforcement. */
export function prepareConstraints(templates: readonly KubeObject[], constraints: readonly KubeObject[], enforcementPoint: string): CompiledConstraint[] {
  const byKind = new Map<string, CompiledTemplate>();
  for (const template of templates) {
    const compiled = compileTemplate(template);
    byKind.set(compiled.kind, compiled);
  }
  return constraints.map((constraint) => {
    const template = byKind.get(constraint.kind);
    if (!template) {
      throw new Error(`${constraint.kind} ${constraint.metadata.name}: no ConstraintTemplate defines kind ${constraint.kind} (known: ${[...byKind.keys()].sort().join(', ') || 'none'})`);
    }
    if (apiGroupOf(constraint.apiVersion) !== 'constraints.gatekeeper.sh') {
      throw new Error(`${constraint.kind} ${constraint.metadata.name}: apiVersion must be constraints.gatekeeper.sh/v1beta1, got ${constraint.apiVersion}`);
    }
    const problems = constraintProblems(template, constraint);
    if (problems.length > 0) {
      throw new Error(`${constraint.kind} ${constraint.metadata.name}: the API server would reject this constraint: ${problems.join('; ')}`);
    }
    const match = (constraint.spec as { match?: ConstraintMatch } | undefined)?.match;
    return { constraint, template, enforcement: resolveEnforcement(constraint, enforcementPoint), match };
  });
}

/** Namespace lookup over rendered objects, per cluster. */
export function namespaceIndex(objects: readonly { object: KubeObject; cluster?: string }[]): (cluster: string | undefined) => NamespaceLookup {
  const index = new Map<string, KubeObject>();
  for (const { object, cluster } of objects) {
    if (object.kind === 'Namespace' && apiGroupOf(object.apiVersion) === '') index.set(`${cluster ?? ''}\u0000${object.metadata.name}`, object);
  }
  return (cluster) => (namespace) => index.get(`${cluster ?? ''}\u0000${namespace}`);
}

/**
 * Evaluates every constraint on every rendered object with Gatekeeper's K8sNativeValidation
 * semantics (Gatekeeper's `pkg/drivers/k8scel/` driver). Templates are compiled once; objects are
 * grouped by kind first so that a constraint only looks at the kinds it matches.
 *
 * @throws PolicyTemplateError when a template's CEL would not compile in Gatekeeper
 * @throws Error when a constraint has no template, an unknown enforcementAction or parameters its
 *   template's schema rejects
 */
export function evaluatePolicies(input: EvaluatePoliciesInput): PolicyViolation[] {
  const point = input.enforcementPoint ?? DEFAULT_ENFORCEMENT_POINT;
  const prepared = prepareConstraints(input.templates, input.constraints, point);
  const lookupFor = namespaceIndex(input.objects);
  const byKind = new Map<string, RenderedObject[]>();
  for (const rendered of input.objects) {
    const key = `${apiGroupOf(rendered.object.apiVersion)}/${rendered.object.kind}`;
    let list = byKind.get(key);
    if (!list) byKind.set(key, (list = []));
    list.push(rendered);
  }
  const requests = new WeakMap<KubeObject, Record<string, unknown>>();
  const violations: PolicyViolation[] = [];
  for (const { constraint, template, enforcement, match } of prepared) {
    if (enforcement.action === 'scoped' && enforcement.scopedActions.length === 0) continue;
    // External data (Ratify): the answer exists only at admission; see notEvaluatedOffline.
    if (template.notEvaluatedOffline) continue;
    for (const [key, group] of byKind) {
      const slash = key.indexOf('/');
      if (!kindsMatch(match?.kinds, key.slice(0, slash), key.slice(slash + 1))) continue;
      for (const rendered of group) {
        const { object } = rendered;
        const lookup = lookupFor(rendered.cluster);
        const matched = constraintMatches(match, object, null, lookup);
        const base = {
          template: template.name,
          constraintKind: constraint.kind,
          constraintName: constraint.metadata.name,
          enforcementAction: enforcement.action,
          ...(enforcement.action === 'scoped' ? { scopedEnforcementActions: [...enforcement.scopedActions] } : {}),
          object: describeObject(object),
          ...(rendered.file !== undefined ? { file: rendered.file } : {}),
          ...(rendered.cluster !== undefined ? { cluster: rendered.cluster } : {}),
        };
        if (matched.error) {
          violations.push({ ...base, message: matched.error, evaluationError: true });
          continue;
        }
        if (!matched.matches) continue;
        let request = requests.get(object);
        if (!request) requests.set(object, (request = requestFor(object)));
        const namespaceObject = object.metadata?.namespace ? (lookup(object.metadata.namespace) ?? null) : null;
        for (const result of reviewConstraint(template, constraint, { object, oldObject: null, request }, namespaceObject, input.defaultFailurePolicy)) {
          violations.push({ ...base, message: result.message, ...(result.evaluationError ? { evaluationError: true } : {}) });
        }
      }
    }
  }
  return violations;
}
