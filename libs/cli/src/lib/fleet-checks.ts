import { join } from 'node:path';
import type { KubernetesVersion } from '@flotilla/config';
import type { Check } from '@flotilla/core';
import type { Finding, KubeObject, RenderedObject } from '@flotilla/model';
import {
  CONSTRAINT_GROUP,
  checkConstraints,
  evaluatePolicies,
  loadPolicyLibrary,
  violationsToFindings,
  type PolicyViolation,
} from '@flotilla/policy';
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

export interface ClusterCheckInput {
  /** Objects to judge. */
  readonly rendered: readonly RenderedObject[];
  /**
   * Every object of the cluster (the judged ones included), the context for references and policies.
   *
   * @default - the objects belong to no known cluster: references and policies are skipped
   */
  readonly all?: () => readonly RenderedObject[];
  /** @default '1.35' */
  readonly kubernetesVersion?: KubernetesVersion;
  /** Kinds accepted without a schema besides the constraint kinds. @default - none */
  readonly allowedUnknownKinds?: readonly string[];
}

/**
 * Every check of one cluster, shared by synth and `flotilla validate`: schemas and CRD CEL rules,
 * the Secret guard, constraint parameters, cross-object references and Gatekeeper policies.
 * Findings are reported for the judged objects only; the rest of the cluster is context.
 */
export function checkCluster(repoRoot: string, input: ClusterCheckInput): { findings: Finding[]; violations: PolicyViolation[] } {
  const { rendered } = input;
  const findings: Finding[] = [
    ...SchemaValidator.load().validate(rendered, {
      kubernetesVersion: input.kubernetesVersion,
      allowedUnknownKinds: [...CONSTRAINT_KINDS, ...(input.allowedUnknownKinds ?? [])],
    }),
    ...checkSecrets(rendered),
    ...checkConstraints(policyTemplates(repoRoot), rendered),
  ];
  if (!input.all) return { findings, violations: [] };
  const all = input.all();
  const judged = new Set(rendered.map((entry) => entry.file));
  const isJudged = (file: string | undefined) => !file || judged.has(file);
  findings.push(...checkReferences(all).filter((finding) => isJudged(finding.file)));
  const constraints = all.filter((entry) => entry.object.apiVersion.startsWith(`${CONSTRAINT_GROUP}/`)).map((entry) => entry.object);
  if (constraints.length === 0) return { findings, violations: [] };
  // Namespaces of the whole cluster resolve namespaceSelectors; only judged objects are evaluated.
  const namespaces = all.filter((entry) => entry.object.kind === 'Namespace' && !judged.has(entry.file));
  const violations = evaluatePolicies({ templates: policyTemplates(repoRoot), constraints, objects: [...rendered, ...namespaces] }).filter(
    (violation) => isJudged(violation.file),
  );
  findings.push(...violationsToFindings(violations));
  return { findings, violations };
}

/** The checks synth runs on every render before writing; a scoped synth reads the rest of the cluster as context. */
export function fleetChecks(repoRoot: string): Check[] {
  return [
    ({ cluster, rendered, all }) => checkCluster(repoRoot, { rendered, all, kubernetesVersion: cluster.kubernetesVersion }).findings,
  ];
}
