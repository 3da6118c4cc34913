import Ajv, { type ValidateFunction } from 'ajv';
import type { KubeObject } from '@flotilla/model';
import type { CompiledTemplate } from './template';

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new WeakMap<object, ValidateFunction>();

/**
 * Checks a constraint's `spec.parameters` against its template's openAPIV3Schema, as the API server
 * does when the constraint is applied (the constraint CRD is generated from the template).
 * Returns the problems, empty when the constraint is valid.
 */
export function constraintProblems(template: CompiledTemplate, constraint: KubeObject): string[] {
  const problems: string[] = [];
  if (constraint.kind !== template.kind) problems.push(`kind must be ${template.kind} (the kind template ${template.name} defines), got ${constraint.kind}`);
  const spec = (constraint.spec ?? {}) as { parameters?: unknown; enforcementAction?: unknown };
  if (spec.enforcementAction !== undefined && !['deny', 'dryrun', 'warn', 'scoped'].includes(String(spec.enforcementAction))) {
    problems.push(`spec.enforcementAction must be deny, dryrun, warn or scoped, got ${JSON.stringify(spec.enforcementAction)}`);
  }
  const schema = template.parametersSchema;
  const required = Array.isArray(schema?.required) ? (schema.required as string[]) : [];
  if (schema && spec.parameters === undefined && required.length > 0) {
    problems.push(`spec.parameters is missing; template ${template.name} requires ${required.join(', ')}`);
  }
  if (schema && spec.parameters !== undefined) {
    let validate = validators.get(schema);
    if (!validate) validators.set(schema, (validate = ajv.compile(stripKubernetesKeywords(schema) as object)));
    if (!validate(spec.parameters)) {
      for (const error of validate.errors ?? []) {
        const extra = error.keyword === 'additionalProperties' ? ` "${String(error.params.additionalProperty)}" (unknown parameter)` : '';
        problems.push(`spec.parameters${error.instancePath.replace(/\//g, '.')} ${error.message}${extra}`);
      }
    }
  }
  return problems;
}

/**
 * OpenAPI v3 structural schema → JSON Schema: drops x-kubernetes-*, turns `nullable` into a type union
 * and closes objects that list their properties.
 */
function stripKubernetesKeywords(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripKubernetesKeywords);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable') continue;
    out[key] = key === 'properties' || key === 'patternProperties'
      ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, stripKubernetesKeywords(v)]))
      : stripKubernetesKeywords(value);
  }
  if ((schema as { nullable?: boolean }).nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  // A structural schema knows every field: the API server prunes (so drops) unknown parameters, and
  // a dropped parameter is a policy that silently does something else. Unknown ones are rejected.
  const open = (schema as Record<string, unknown>)['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !open) out.additionalProperties = false;
  return out;
}
