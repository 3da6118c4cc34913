import { apiGroupOf, findingFor, type Finding, type KubeObject, type RenderedObject } from '@flotilla/model';
import { constraintProblems } from './parameters-schema';
import { compileTemplate, type CompiledTemplate } from './template';

/** The API group Gatekeeper creates a constraint CRD in for every ConstraintTemplate. */
export const CONSTRAINT_GROUP = 'constraints.gatekeeper.sh';

const compiledByTemplate = new WeakMap<KubeObject, CompiledTemplate>();

/**
 * Validates every rendered constraint as the API server would once Gatekeeper has created its CRD
 * from the template: the kind must be defined by a ConstraintTemplate, and `spec.parameters` must
 * match the template's openAPIV3Schema. Constraint kinds have no static CRD, so schema validation
 * alone cannot check them.
 */
export function checkConstraints(templates: readonly KubeObject[], objects: readonly RenderedObject[]): Finding[] {
  const byKind = new Map<string, CompiledTemplate>();
  for (const template of templates) {
    let compiled = compiledByTemplate.get(template);
    if (!compiled) compiledByTemplate.set(template, (compiled = compileTemplate(template)));
    byKind.set(compiled.kind, compiled);
  }
  const findings: Finding[] = [];
  for (const rendered of objects) {
    const { object } = rendered;
    if (apiGroupOf(object.apiVersion) !== CONSTRAINT_GROUP) continue;
    const template = byKind.get(object.kind);
    if (!template) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'policy/unknown-constraint-kind',
          path: 'kind',
          message: `no ConstraintTemplate defines the constraint kind ${object.kind}`,
          fix: `add a template for ${object.kind} under policies/ or use one of: ${[...byKind.keys()].sort().join(', ')}`,
        }),
      );
      continue;
    }
    for (const problem of constraintProblems(template, object)) {
      const [path, ...rest] = problem.split(' ');
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'policy/invalid-constraint',
          path: path.startsWith('spec.') ? path : '',
          message: path.startsWith('spec.') ? rest.join(' ') : problem,
          fix: `match the parameters schema of ConstraintTemplate ${template.name} (policies/)`,
        }),
      );
    }
  }
  return findings;
}
