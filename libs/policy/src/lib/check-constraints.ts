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
export function checkConstraints(templates: readonly KubeObject[], objects: readonly RenderedObject[], cluster?: readonly RenderedObject[]): Finding[] {
  const byKind = new Map<string, CompiledTemplate>();
  for (const template of templates) {
    let compiled = compiledByTemplate.get(template);
    if (!compiled) compiledByTemplate.set(template, (compiled = compileTemplate(template)));
    byKind.set(compiled.kind, compiled);
  }
  const findings: Finding[] = [];
  let inCluster: Set<string> | undefined;
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
    inCluster ??= cluster && renderedTemplateKinds(cluster);
    if (inCluster && !inCluster.has(object.kind)) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'policy/template-not-in-cluster',
          path: 'kind',
          message: `no ConstraintTemplate for ${object.kind} is rendered in cluster ${rendered.cluster ?? '(none)'}, so Gatekeeper never creates the ${object.kind} CRD and Flux fails to apply this constraint`,
          fix: `render the ConstraintTemplate ${object.kind.toLowerCase()} (policies/) in this cluster, e.g. add it to the cluster's gatekeeper policy templates unit, or remove the constraint`,
        }),
      );
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

/** Constraint kinds the cluster's rendered ConstraintTemplates define. */
function renderedTemplateKinds(objects: readonly RenderedObject[]): Set<string> {
  const kinds = new Set<string>();
  for (const { object } of objects) {
    if (object.kind !== 'ConstraintTemplate' || apiGroupOf(object.apiVersion) !== 'templates.gatekeeper.sh') continue;
    const kind = (object.spec as { crd?: { spec?: { names?: { kind?: unknown } } } } | undefined)?.crd?.spec?.names?.kind;
    if (typeof kind === 'string') kinds.add(kind);
  }
  return kinds;
}

/** A constraint whose template Flotilla cannot evaluate offline (external data), and why. */
export interface NotEvaluatedConstraint {
  readonly kind: string;
  readonly name: string;
  readonly reason: string;
}

/**
 * The constraints whose templates are checked but not evaluated (Rego asking an external data
 * provider, e.g. Ratify): the policy report lists them, so an empty report never reads as "verified".
 */
export function constraintsNotEvaluatedOffline(templates: readonly KubeObject[], constraints: readonly KubeObject[]): NotEvaluatedConstraint[] {
  const byKind = new Map<string, CompiledTemplate>();
  for (const template of templates) {
    let compiled = compiledByTemplate.get(template);
    if (!compiled) compiledByTemplate.set(template, (compiled = compileTemplate(template)));
    byKind.set(compiled.kind, compiled);
  }
  const out: NotEvaluatedConstraint[] = [];
  for (const constraint of constraints) {
    const reason = apiGroupOf(constraint.apiVersion) === CONSTRAINT_GROUP ? byKind.get(constraint.kind)?.notEvaluatedOffline : undefined;
    if (reason) out.push({ kind: constraint.kind, name: constraint.metadata.name, reason });
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

/**
 * The constraints Gatekeeper would accept (a template defines their kind, the parameters match its
 * schema): the ones policies can be evaluated with. {@link checkConstraints} reports the others.
 */
export function acceptedConstraints(templates: readonly KubeObject[], constraints: readonly KubeObject[]): KubeObject[] {
  const byKind = new Map<string, CompiledTemplate>();
  for (const template of templates) {
    let compiled = compiledByTemplate.get(template);
    if (!compiled) compiledByTemplate.set(template, (compiled = compileTemplate(template)));
    byKind.set(compiled.kind, compiled);
  }
  return constraints.filter((constraint) => {
    const template = byKind.get(constraint.kind);
    return template !== undefined && apiGroupOf(constraint.apiVersion) === CONSTRAINT_GROUP && constraintProblems(template, constraint).length === 0;
  });
}
