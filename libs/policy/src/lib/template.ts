import { CelCompileError, compileCel, type CelProgram } from '@flotilla/cel';
import type { KubeObject } from '@flotilla/model';

/**
 * A Gatekeeper ConstraintTemplate with its K8sNativeValidation (CEL) source compiled, following
 * the Gatekeeper driver: one target, variables compiled in order (each sees `anyObject`, `params`
 * and the earlier ones), `params` (the whole constraint) declared only while compiling variables.
 */
export interface CompiledTemplate {
  /** `metadata.name` of the template (lowercase kind). */
  readonly name: string;
  /** Constraint kind the template defines (`spec.crd.spec.names.kind`). */
  readonly kind: string;
  /** `source.failurePolicy`; `Fail` when the template does not set it (see `failurePolicySet`). */
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** Whether the template sets failurePolicy itself (then it wins over a configured default). */
  readonly failurePolicySet: boolean;
  readonly variables: readonly { readonly name: string; readonly program: CelProgram }[];
  /** Fields of CEL's `variables`: `anyObject`, `params`, then the template's variables in order. */
  readonly variableNames: readonly string[];
  readonly validations: readonly CompiledValidation[];
  readonly matchConditions: readonly { readonly name: string; readonly program: CelProgram }[];
  /** `spec.crd.spec.validation.openAPIV3Schema`: the schema of the constraint's `spec.parameters`. */
  readonly parametersSchema?: Record<string, unknown>;
  /**
   * Set for a Rego template whose decision comes from an external data provider (`external_data`,
   * e.g. Ratify's signature verification): Flotilla cannot evaluate it offline, so it has no
   * validations, its constraints are checked (kind, parameters) but never reviewed, and every
   * result that would be about it says so with this note.
   */
  readonly notEvaluatedOffline?: string;
}

/** Why a template with `external_data` has no offline result. */
export function externalDataNote(providers: readonly string[]): string {
  return `external data: not evaluated offline (Rego calls provider ${providers.join(', ') || '(unnamed)'} at admission)`;
}

export interface CompiledValidation {
  readonly expression: string;
  readonly program: CelProgram;
  readonly message?: string;
  readonly messageExpression?: CelProgram;
}

/** A template Gatekeeper would not accept or whose CEL would not compile. */
export class PolicyTemplateError extends Error {
  constructor(
    readonly template: string,
    readonly reason: string,
  ) {
    super(`ConstraintTemplate ${template}: ${reason}`);
    this.name = 'PolicyTemplateError';
  }
}

export const CEL_ENGINE = 'K8sNativeValidation';
const WITH_PARAMS = ['object', 'oldObject', 'request', 'namespaceObject', 'variables', 'params'] as const;
const WITHOUT_PARAMS = ['object', 'oldObject', 'request', 'namespaceObject', 'variables'] as const;
const DRIVER_VARIABLES = ['anyObject', 'params'];

/** Providers a Rego source calls (`external_data({"provider": "<name>", …})`). */
function externalDataProviders(rego: string): string[] | undefined {
  if (!/\bexternal_data\s*\(/.test(rego)) return undefined;
  return [...new Set([...rego.matchAll(/external_data\s*\(\s*\{\s*"provider"\s*:\s*"([^"]+)"/g)].map((m) => m[1]!))].sort();
}

interface CelSource {
  variables?: { name?: string; expression?: string }[];
  validations?: { expression?: string; message?: string; messageExpression?: string }[];
  matchCondition?: { name?: string; expression?: string }[];
  failurePolicy?: string;
}

const compiled = new WeakMap<object, CompiledTemplate>();

/**
 * Compiles every expression of a template once (cached by object identity).
 * @throws PolicyTemplateError naming the template, the expression and why
 */
export function compileTemplate(template: KubeObject): CompiledTemplate {
  const cached = compiled.get(template);
  if (cached) return cached;
  const result = compileUncached(template);
  compiled.set(template, result);
  return result;
}

function compileUncached(template: KubeObject): CompiledTemplate {
  const name = template.metadata?.name ?? '<unnamed>';
  const fail = (reason: string): never => {
    throw new PolicyTemplateError(name, reason);
  };
  if (template.kind !== 'ConstraintTemplate' || !String(template.apiVersion).startsWith('templates.gatekeeper.sh/')) {
    fail(`expected kind ConstraintTemplate (templates.gatekeeper.sh), got ${template.apiVersion} ${template.kind}`);
  }
  const spec = (template.spec ?? {}) as { crd?: { spec?: { names?: { kind?: string }; validation?: { openAPIV3Schema?: Record<string, unknown> } } }; targets?: { target?: string; rego?: unknown; code?: { engine?: string; source?: CelSource }[] }[] };
  const kind = spec.crd?.spec?.names?.kind;
  if (!kind) fail('spec.crd.spec.names.kind is required');
  if (name !== kind!.toLowerCase()) fail(`metadata.name must be the lowercase kind ${JSON.stringify(kind!.toLowerCase())}, got ${JSON.stringify(name)}`);
  const targets = spec.targets ?? [];
  if (targets.length !== 1) fail(`exactly one target is allowed, got ${targets.length}`);
  if (targets[0]!.target !== 'admission.k8s.gatekeeper.sh') fail(`spec.targets[0].target must be admission.k8s.gatekeeper.sh, got ${JSON.stringify(targets[0]!.target)}`);
  const code = (targets[0]!.code ?? []).find((entry) => entry.engine === CEL_ENGINE);
  const providers = !code && typeof targets[0]!.rego === 'string' ? externalDataProviders(targets[0]!.rego) : undefined;
  if (providers) {
    // Rego that asks an external data provider (Ratify): its constraints are checked, not evaluated.
    return {
      name,
      kind: kind!,
      failurePolicy: 'Fail',
      failurePolicySet: false,
      variables: [],
      variableNames: [...DRIVER_VARIABLES],
      validations: [],
      matchConditions: [],
      ...(spec.crd?.spec?.validation?.openAPIV3Schema ? { parametersSchema: spec.crd.spec.validation.openAPIV3Schema } : {}),
      notEvaluatedOffline: externalDataNote(providers),
    };
  }
  if (!code) fail(`no ${CEL_ENGINE} code block: Flotilla evaluates CEL only (Rego needs OPA, which is not available); add a code entry with engine ${CEL_ENGINE}`);
  const source = code!.source ?? {};
  const failurePolicy = source.failurePolicy ?? 'Fail';
  if (failurePolicy !== 'Fail' && failurePolicy !== 'Ignore') fail(`failurePolicy must be Fail or Ignore, got ${JSON.stringify(failurePolicy)}`);

  const compile = (expression: string | undefined, where: string, variables: readonly string[], fields: readonly string[]): CelProgram => {
    if (!expression || typeof expression !== 'string') return fail(`${where}: expression is required`);
    try {
      return compileCel(expression, { dialect: 'gatekeeper', variables, variableFields: fields });
    } catch (error) {
      if (error instanceof CelCompileError) return fail(`${where}: ${error.reason}: ${expression}`);
      throw error;
    }
  };

  const fields = [...DRIVER_VARIABLES];
  const variables = (source.variables ?? []).map((variable, i) => {
    const where = `variables[${i}]`;
    if (!variable.name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable.name)) fail(`${where}.name must be a CEL identifier, got ${JSON.stringify(variable.name)}`);
    if (DRIVER_VARIABLES.includes(variable.name!) || variable.name!.startsWith('gatekeeper_internal_')) {
      fail(`${where}.name ${JSON.stringify(variable.name)} is reserved (anyObject, params and gatekeeper_internal_* are defined by Gatekeeper)`);
    }
    if (fields.includes(variable.name!)) fail(`${where}.name ${JSON.stringify(variable.name)} is defined twice`);
    const program = compile(variable.expression, `${where} (${variable.name})`, WITH_PARAMS, [...fields]);
    fields.push(variable.name!);
    return { name: variable.name!, program };
  });
  const validations = (source.validations ?? []).map((validation, i) => ({
    expression: validation.expression ?? '',
    program: compile(validation.expression, `validations[${i}]`, WITHOUT_PARAMS, fields),
    ...(validation.message ? { message: validation.message } : {}),
    ...(validation.messageExpression ? { messageExpression: compile(validation.messageExpression, `validations[${i}].messageExpression`, WITHOUT_PARAMS, fields) } : {}),
  }));
  if (validations.length === 0) fail('source.validations is empty: a template without validations never reports anything');
  const matchConditions = (source.matchCondition ?? []).map((condition, i) => ({
    name: condition.name ?? `matchCondition[${i}]`,
    program: compile(condition.expression, `matchCondition[${i}]`, WITHOUT_PARAMS, fields),
  }));
  return {
    name,
    kind: kind!,
    failurePolicy: failurePolicy as 'Fail' | 'Ignore',
    failurePolicySet: source.failurePolicy !== undefined,
    variables,
    variableNames: fields,
    validations,
    matchConditions,
    ...(spec.crd?.spec?.validation?.openAPIV3Schema ? { parametersSchema: spec.crd.spec.validation.openAPIV3Schema } : {}),
  };
}
