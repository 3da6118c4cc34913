import { join } from 'node:path';
import type { Check, CheckInput } from '@flotilla/core';
import type { Finding, KubeObject, RenderedObject } from '@flotilla/model';
import { CONSTRAINT_GROUP, checkConstraints, evaluatePolicies, loadPolicyLibrary, violationsToFindings } from '@flotilla/policy';
import { SchemaValidator, checkReferences, checkSecrets } from '@flotilla/validate';

/** Constraint kinds have no static CRD; checkConstraints validates them against their templates. */
export const CONSTRAINT_KINDS = [`${CONSTRAINT_GROUP}/*`];

/** Templates are read once per process from policies/, the same source Gatekeeper gets. */
let library: { dir: string; templates: KubeObject[] } | undefined;
export function policyTemplates(repoRoot: string): KubeObject[] {
  const dir = join(repoRoot, 'policies');
  if (library?.dir !== dir) library = { dir, templates: loadPolicyLibrary(dir).templates };
  return library.templates;
}

/**
 * The checks synth runs on every render before writing: schemas and CRD CEL rules, the Secret
 * guard, cross-object references and Gatekeeper policies. Findings are reported for the objects
 * this synth rendered; the rest of the cluster (read from disk in a scoped synth) is context only.
 */
export function fleetChecks(repoRoot: string): Check[] {
  return [
    schemaCheck,
    secretCheck,
    referenceCheck,
    ({ rendered }) => checkConstraints(policyTemplates(repoRoot), rendered),
    (input) => policyCheck(repoRoot, input),
  ];
}

const schemaCheck: Check = ({ cluster, rendered }) =>
  SchemaValidator.load().validate(rendered, { kubernetesVersion: cluster.kubernetesVersion, allowedUnknownKinds: CONSTRAINT_KINDS });

const secretCheck: Check = ({ rendered }) => checkSecrets(rendered);

const referenceCheck: Check = (input) => onlyRendered(input, checkReferences(input.all()));

function policyCheck(repoRoot: string, input: CheckInput): Finding[] {
  const all = input.all();
  const constraints = all.filter((entry) => entry.object.apiVersion.startsWith(`${CONSTRAINT_GROUP}/`)).map((entry) => entry.object);
  if (constraints.length === 0) return [];
  const renderedFiles = new Set(input.rendered.map((entry) => entry.file));
  // Namespaces of the whole cluster resolve namespaceSelectors; only rendered objects are judged.
  const namespaces = all.filter((entry) => entry.object.kind === 'Namespace' && !renderedFiles.has(entry.file));
  const objects: RenderedObject[] = [...input.rendered, ...namespaces];
  const violations = evaluatePolicies({ templates: policyTemplates(repoRoot), constraints, objects }).filter(
    (violation) => !violation.file || renderedFiles.has(violation.file),
  );
  return violationsToFindings(violations);
}

function onlyRendered(input: CheckInput, findings: Finding[]): Finding[] {
  const files = new Set(input.rendered.map((entry) => entry.file));
  return findings.filter((finding) => !finding.file || files.has(finding.file));
}
