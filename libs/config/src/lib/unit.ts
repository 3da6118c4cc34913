import type { Construct } from 'constructs';
import type { ClusterConfig } from './cluster-config';
import type { FluxSettings } from './flux-settings';
import type { HealthCheckExpr } from './health-checks';
import type { UnitCallSite } from './unit-call-site';

/**
 * The Flux layers, in apply order. Each unit's Kustomization depends on every unit of the nearest
 * earlier layer that has units, so CRDs installed by controllers exist before the objects that use them.
 */
export const LAYERS = ['infra-controllers', 'infra-configs', 'policies', 'apps'] as const;
export type Layer = (typeof LAYERS)[number];

/** Workspace inputs the fleet's entry point hands the engine, which passes them on to every unit it renders. */
export interface WorkspaceInputs {
  /** Absolute path of the Gatekeeper policy library (ConstraintTemplates with their suites). */
  readonly policiesDir: string;
}

/** What a unit may read while it renders: the cluster it renders for and the workspace inputs, nothing else. */
export interface UnitContext {
  readonly cluster: ClusterConfig;
  /** @default - none: a unit that needs a workspace input takes it as a prop instead */
  readonly workspace?: WorkspaceInputs;
}

/** Per-unit Flux knobs on top of the cluster's. */
export interface UnitFluxOptions extends Partial<FluxSettings> {
  /**
   * ServiceAccount (in `flux-system`) that Flux impersonates to apply this unit, so a tenant's
   * unit can only do what that account's RBAC allows.
   *
   * @default - Flux's own controller account (cluster-admin); only platform units should use it
   */
  readonly serviceAccountName?: string;
  /**
   * Namespace Flux forces on every namespaced object of the unit.
   *
   * @default - objects keep the namespace they were rendered with
   */
  readonly targetNamespace?: string;
  /**
   * CEL health checks for custom resources the unit applies, so that `wait` means "ready in AWS",
   * not merely "applied". See `ackHealthCheck` and the Crossplane helpers.
   *
   * @default - Flux's built-in readiness (kstatus) for every kind
   */
  readonly healthCheckExprs?: readonly HealthCheckExpr[];
}

/**
 * A deployable unit: one platform chart or one app, rendered per cluster into
 * `clusters/<cluster>/<layer>/<name>/` and applied by its own Flux Kustomization.
 *
 * Charts and apps export factories that return units; a cluster's config lists the units it runs
 * with their typed settings. A unit never asks which cluster it is in; it reads the typed
 * {@link UnitContext} instead.
 */
export interface Unit {
  /**
   * Unique within a cluster; the folder name and the Flux Kustomization name.
   * Must be the Nx project's name, or `<project>.<part>` when a project renders several units.
   */
  readonly name: string;
  /** The Nx project that defines the unit (`nx affected` maps changes to units through it). */
  readonly project: string;
  /** Where in the apply order the unit goes. */
  readonly layer: Layer;
  /** Units (by name) this unit needs besides the previous layer. @default - none */
  readonly dependsOn?: readonly string[];
  /** Flux overrides for this unit. @default - the cluster's settings */
  readonly flux?: UnitFluxOptions;
  /**
   * Where the factory that returned the unit was called (`createdAt: unitCallSite()`), so a render
   * error names the fleet config line that created the unit.
   *
   * @default - unknown: errors name the unit, not the line that created it
   */
  readonly createdAt?: UnitCallSite;
  /** Adds the unit's constructs to `scope` (a cdk8s Chart with name hashes disabled). */
  render(scope: Construct, context: UnitContext): void;
}
