// What the fleet's tests share: the workspace inputs the entry point hands the engine, and renders of
// the example fleet (or of one cluster with a chosen set of units) through the engine's own planRender.
import { join } from 'node:path';
import type { ClusterConfig, Fleet, Unit, WorkspaceInputs } from '@flotilla/config';
import { findProjectRoots, planRender, type ClusterRender, type SynthScope } from '@flotilla/core';
import { findRepoRoot, type KubeObject, type RenderedObject } from '@flotilla/model';
import { evaluatePolicies, policyTemplates as libraryTemplates } from '@flotilla/policy';
import { FLEET_SOURCE } from '../main';

/** The repository the tests run in. */
export const repoRoot = findRepoRoot(__dirname);

/** What `src/main.ts` passes to the engine, for the repository the tests run in. */
export const workspace: WorkspaceInputs = { policiesDir: join(repoRoot, 'policies') };

/** The ConstraintTemplates of the workspace's policy library (the engine's cached loader). */
export function policyTemplates(): KubeObject[] {
  return [...libraryTemplates(workspace.policiesDir)];
}

/**
 * What `constraints` say about `objects`, one `<object>: <message>` line per violation, evaluated by the policy
 * engine with the workspace's templates; `namespaces` are the cluster's Namespaces the constraints' selectors read.
 */
export function violationsOf(constraints: readonly KubeObject[], objects: readonly RenderedObject[], namespaces: readonly RenderedObject[]): string[] {
  return evaluatePolicies({ templates: policyTemplates(), constraints: [...constraints], objects: [...objects, ...namespaces] }).map((v) => `${v.object}: ${v.message}`);
}

/** The names of a rendered cluster's tenant Namespaces (those labelled with a team). */
export function tenantNamespacesOf(objects: readonly RenderedObject[]): string[] {
  return objects.filter((o) => o.object.kind === 'Namespace' && o.object.metadata.labels?.team).map((o) => o.object.metadata.name);
}

let projectRoots: Map<string, string> | undefined;

/** Renders `fleet` in memory, as synth does before its checks; one entry per cluster in scope. */
export function renderFleet(fleet: Fleet, scope: SynthScope = {}): readonly ClusterRender[] {
  projectRoots ??= findProjectRoots(repoRoot);
  return planRender(fleet, scope, { projectRoots, workspace, fleetSource: FLEET_SOURCE }).clusters;
}

/** Every object of `cluster` rendered with only `units` (default: its own), as Flux would apply them. */
export function renderCluster(cluster: ClusterConfig, units: readonly Unit[] = cluster.units): RenderedObject[] {
  return renderFleet({ clusters: [{ ...cluster, units: [...units] }] })[0]!.objects;
}
