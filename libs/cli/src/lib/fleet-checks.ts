import type { ClusterRelease, KubernetesVersion } from '@flotilla/config';
import type { Check, ContextQuery } from '@flotilla/core';
import type { Finding, RenderedObject } from '@flotilla/model';
import {
  CONSTRAINT_GROUP,
  acceptedConstraints,
  checkConstraints,
  evaluatePolicies,
  policyTemplates,
  violationsToFindings,
  type PolicyViolation,
} from '@flotilla/policy';
import { SCHEDULING_CAPACITY_KINDS, checkScheduling } from '@flotilla/scheduling';
import {
  SUPPLY_CHAIN_CODE_PREFIX,
  SchemaValidator,
  checkFieldValues,
  checkHelmValues,
  checkMutableReferences,
  checkReferences,
  checkSecrets,
  checkTenantUnits,
  checkDirectAccess,
  isSignatureEnforcement,
} from '@flotilla/validate';
import { contextQueryFor } from './check-context';

/** Constraint kinds have no static CRD; checkConstraints validates them against their templates. */
export const CONSTRAINT_KINDS = [`${CONSTRAINT_GROUP}/*`];

export interface ClusterCheckInput {
  /** Objects to judge. */
  readonly rendered: readonly RenderedObject[];
  /**
   * Every object of the cluster (the judged ones included), the context for references and policies.
   *
   * @default - the objects belong to no known cluster: references and policies are skipped
   */
  readonly all?: () => readonly RenderedObject[];
  /**
   * The judged objects plus the part of the cluster a query selects (a scoped synth reads only that).
   *
   * @default - `all`
   */
  readonly context?: (query: () => ContextQuery) => readonly RenderedObject[];
  /** @default '1.35' */
  readonly kubernetesVersion?: KubernetesVersion;
  /** The cluster's name and stage (`ClusterConfig.release`), for the immutability check. @default - not checked */
  readonly release?: {
    readonly cluster: string;
    readonly release?: ClusterRelease;
    /** Whether `all` is the whole cluster, so an exception it does not use is known to be unused. @default true */
    readonly complete?: boolean;
  };
  /** Kinds accepted without a schema besides the constraint kinds. @default - none */
  readonly allowedUnknownKinds?: readonly string[];
  /** Called before each check with its name (progress display). @default - nothing */
  readonly onStep?: (name: string) => void;
}

interface StepResult {
  readonly findings: Finding[];
  readonly violations?: PolicyViolation[];
}

/** One check over a cluster; references and policies need the cluster context (`all`). */
type Step = (policiesDir: string, input: ClusterCheckInput) => StepResult;

const judgedFiles = (input: ClusterCheckInput) => new Set(input.rendered.map((entry) => entry.file));

/** What references, constraints and policies read besides the judged objects: only what can affect them. */
const contextOf = (input: ClusterCheckInput): readonly RenderedObject[] | undefined => {
  if (!input.all) return undefined;
  return input.context ? input.context(() => contextQueryFor(input.rendered)) : input.all();
};

const schemas: Step = (_repoRoot, input) => ({
  findings: SchemaValidator.load().validate(input.rendered, {
    kubernetesVersion: input.kubernetesVersion,
    allowedUnknownKinds: [...CONSTRAINT_KINDS, ...(input.allowedUnknownKinds ?? [])],
  }),
});

const secrets: Step = (_repoRoot, input) => ({ findings: checkSecrets(input.rendered) });

const fieldValues: Step = (_repoRoot, input) => ({ findings: checkFieldValues(input.rendered) });

// OCIRepositories named by chartRef may live in another file of the cluster.
const helmValues: Step = (_repoRoot, input) => ({ findings: checkHelmValues(input.rendered, contextOf(input) ?? input.rendered) });

const references: Step = (_repoRoot, input) => {
  // A change to the image policy or a CodeSigningConfig can fail any workload or Function of the
  // cluster (the supply-chain check): then the whole cluster is the context and those findings count.
  const enforcementChanged = input.all !== undefined && input.rendered.some((entry) => isSignatureEnforcement(entry.object));
  const context = enforcementChanged ? input.all!() : contextOf(input);
  if (!context) return { findings: [] };
  const judged = judgedFiles(input);
  const counts = (finding: Finding) => !finding.file || judged.has(finding.file) || (enforcementChanged && finding.code.startsWith(SUPPLY_CHAIN_CODE_PREFIX));
  return { findings: checkReferences(context).filter(counts) };
};

// Tenant units hold only namespaced objects their team's Flux account may create, and no RBAC; people of a
// read-only namespace have no path to its Secrets or AWS roles (pods create, exec, port-forward…).
const tenantUnits: Step = (_repoRoot, input) => {
  const context = contextOf(input);
  if (!context) return { findings: [] };
  const judged = judgedFiles(input);
  return { findings: [...checkTenantUnits(context), ...checkDirectAccess(context)].filter((finding) => !finding.file || judged.has(finding.file)) };
};

// On an immutable stage every source, package, chart-set image and AMI is pinned, or a reviewed exception.
const supplyChain: Step = (_repoRoot, input) => {
  const release = input.release?.release;
  if (!release?.immutable || !input.all) return { findings: [] };
  const judged = judgedFiles(input);
  return {
    findings: checkMutableReferences(input.release!.cluster, input.all(), release, { complete: input.release!.complete ?? true }).filter((finding) => !finding.file || judged.has(finding.file)),
  };
};

const constraintParameters: Step = (policiesDir, input) => ({ findings: checkConstraints(policyTemplates(policiesDir), input.rendered, contextOf(input)) });

const policies: Step = (policiesDir, input) => {
  const all = contextOf(input);
  if (!all) return { findings: [] };
  // Constraints Gatekeeper would reject are findings of the constraint-parameters step, not an abort here.
  const constraints = acceptedConstraints(
    policyTemplates(policiesDir),
    all.filter((entry) => entry.object.apiVersion.startsWith(`${CONSTRAINT_GROUP}/`)).map((entry) => entry.object),
  );
  if (constraints.length === 0) return { findings: [], violations: [] };
  const judged = judgedFiles(input);
  // Namespaces of the whole cluster resolve namespaceSelectors; only judged objects are evaluated.
  const namespaces = all.filter((entry) => entry.object.kind === 'Namespace' && !judged.has(entry.file));
  const violations = evaluatePolicies({ templates: policyTemplates(policiesDir), constraints, objects: [...input.rendered, ...namespaces] }).filter(
    (violation) => !violation.file || judged.has(violation.file),
  );
  return { findings: violationsToFindings(violations), violations };
};

const scheduling: Step = (_repoRoot, input) => {
  if (!input.all) return { findings: [] };
  const judged = judgedFiles(input);
  // A change to capacity (NodePools, DaemonSets, charts, volumes) can strand any pod of the cluster.
  const capacityChanged = input.rendered.some((entry) => SCHEDULING_CAPACITY_KINDS.includes(entry.object.kind));
  // Then every pod of the cluster is judged, so the whole cluster is the context.
  const context = capacityChanged ? input.all() : contextOf(input)!;
  return { findings: checkScheduling(context).findings.filter((finding) => capacityChanged || !finding.file || judged.has(finding.file)) };
};

/** In the order they run; synth gives each its own Check (the benchmark times them one by one). */
const STEPS: readonly Step[] = [schemas, secrets, fieldValues, helmValues, references, tenantUnits, supplyChain, constraintParameters, policies, scheduling];

/**
 * Every check of one cluster, shared by synth and `flotilla validate`: schemas and CRD CEL rules,
 * the Secret guard, field values (chart versions, schedules, IAM policies, pod specs), Helm values
 * against the vendored chart values schemas, cross-object references and selectors, tenant units'
 * kinds and RBAC, mutable references on immutable stages, constraint parameters, Gatekeeper policies and the offline scheduling
 * check (@flotilla/scheduling).
 * Findings are reported for the judged objects only; the rest of the cluster is context.
 */
export function checkCluster(policiesDir: string, input: ClusterCheckInput): { findings: Finding[]; violations: PolicyViolation[] } {
  const results = STEPS.map((step) => {
    input.onStep?.(step.name);
    return step(policiesDir, input);
  });
  return { findings: results.flatMap((result) => result.findings), violations: results.flatMap((result) => result.violations ?? []) };
}

/** The checks synth runs on every render before writing; a scoped synth reads the rest of the cluster as context. */
export function fleetChecks(policiesDir: string): Check[] {
  return STEPS.map(
    (step): Check =>
      ({ cluster, rendered, all, context }) =>
        step(policiesDir, { rendered, all, context, kubernetesVersion: cluster.kubernetesVersion, release: { cluster: cluster.name, release: cluster.release } }).findings,
  );
}
