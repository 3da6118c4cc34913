import { Duration } from './duration';

/**
 * How Flux reconciles one unit's Kustomization.
 *
 * The fleet-wide defaults live in {@link DEFAULT_FLUX_SETTINGS}; a cluster overrides them in
 * `ClusterConfig.flux`, and a unit overrides the cluster in `Unit.flux`.
 *
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/
 */
/**
 * What helm-controller does when a HelmRelease's objects in the cluster differ from the release
 * manifest (someone ran `kubectl edit`): `enabled` reverts them, `warn` only reports the drift in the
 * release's status and events, `disabled` does not look.
 *
 * @see https://fluxcd.io/flux/components/helm/helmreleases/#drift-detection
 */
export type HelmDriftDetection = 'enabled' | 'warn' | 'disabled';

/** Construct context key under which `renderUnit` stores the unit's resolved {@link FluxSettings}. */
export const FLUX_SETTINGS_CONTEXT = 'flotilla.dev/flux-settings';

export interface FluxSettings {
  /**
   * How often Flux re-applies the unit even when Git did not change, and how often each HelmRelease
   * of the unit is reconciled, i.e. checked for drift. The default bounds undetected drift to 10
   * minutes; a longer interval leaves a `kubectl edit` in place that long.
   *
   * @default Duration.minutes(10)
   */
  readonly interval: Duration;
  /** How soon Flux retries after a failed reconciliation. @default Duration.minutes(2) */
  readonly retryInterval: Duration;
  /** How long apply plus health checks may take. @default Duration.minutes(5) */
  readonly timeout: Duration;
  /** Delete objects that disappear from Git. @default true */
  readonly prune: boolean;
  /** Wait for every applied object to become ready before dependants start. @default true */
  readonly wait: boolean;
  /** Drift detection of every HelmRelease the unit renders (`spec.driftDetection.mode`). @default 'enabled' */
  readonly helmDriftDetection: HelmDriftDetection;
}

export const DEFAULT_FLUX_SETTINGS: FluxSettings = {
  interval: Duration.minutes(10),
  retryInterval: Duration.minutes(2),
  timeout: Duration.minutes(5),
  prune: true,
  wait: true,
  helmDriftDetection: 'enabled',
};

/** Later layers win: fleet defaults ← cluster overrides ← unit overrides. */
export function resolveFluxSettings(...layers: (Partial<FluxSettings> | undefined)[]): FluxSettings {
  let resolved: FluxSettings = DEFAULT_FLUX_SETTINGS;
  for (const layer of layers) {
    if (!layer) continue;
    resolved = {
      interval: layer.interval ?? resolved.interval,
      retryInterval: layer.retryInterval ?? resolved.retryInterval,
      timeout: layer.timeout ?? resolved.timeout,
      prune: layer.prune ?? resolved.prune,
      wait: layer.wait ?? resolved.wait,
      helmDriftDetection: layer.helmDriftDetection ?? resolved.helmDriftDetection,
    };
  }
  return resolved;
}
