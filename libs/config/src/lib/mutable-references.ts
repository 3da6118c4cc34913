import type { ChartReleases, StageChartPins, UnitChartPins } from './chart-releases';
import type { Stages } from './stages';

/**
 * A reviewed exception to the immutability rule of an immutable stage: one mutable reference the
 * fleet accepts there for now, with why and who accepted it. Synth and `flotilla validate` fail on
 * an exception that has expired, and on one that no immutable cluster uses (so the list shrinks
 * when a reference gets pinned).
 */
export interface MutableReferenceException {
  /**
   * The reference exactly as the check names it, e.g.
   * `oci://public.ecr.aws/aws-controllers-k8s/iam-chart:1.8.1` or
   * `https://charts.crossplane.io/stable/crossplane:2.3.4`.
   */
  readonly reference: string;
  /** Why it cannot be pinned or verified yet, and what would fix it. */
  readonly reason: string;
  /** Who reviewed and accepted it: a GitHub user `@user` or team `@org/team`. */
  readonly reviewedBy: string;
  /**
   * Last day (UTC, `YYYY-MM-DD`) the exception holds; after it synth fails until the reference is
   * pinned or the exception is reviewed again.
   *
   * @default - no expiry
   */
  readonly expires?: string;
}

/** The fleet's release model: stages, chart pins per stage, and the reviewed exceptions. */
export interface FleetReleases {
  readonly stages: Stages;
  /** Chart versions per stage. @default - every add-on renders its catalog version on every stage */
  readonly charts?: ChartReleases;
  /** Mutable references accepted on immutable stages. @default - none */
  readonly mutableReferenceExceptions?: readonly MutableReferenceException[];
}

/** One cluster's part of {@link FleetReleases}: set by `defineFleet` from the cluster's `environment`. */
export interface ClusterRelease {
  /** The cluster's stage (its `environment`). */
  readonly stage: string;
  /** Whether the stage is immutable (`defineStages(…, { immutable })`). */
  readonly immutable: boolean;
  /** The stage's chart pins. @default - catalog versions */
  readonly charts?: StageChartPins;
  /** The fleet's reviewed exceptions (checked on immutable clusters only). */
  readonly exceptions: readonly MutableReferenceException[];
}

/** Context key under which renderUnit hands a unit its chart pins (read by `HelmAddon`). */
export const CHART_PINS_CONTEXT = 'flotilla.dev/chart-pins';

/** What `HelmAddon` finds under {@link CHART_PINS_CONTEXT}. */
export interface ChartPinsContext {
  readonly stage: string;
  readonly unit: string;
  /** The unit's pins on the stage; undefined when the stage pins no chart of this unit. */
  readonly pins?: UnitChartPins;
}

const GITHUB_HANDLE = /^@[A-Za-z0-9][-A-Za-z0-9]*(\/[A-Za-z0-9][-A-Za-z0-9_.]*)?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Problems of an exception list (each names the entry and the fix); empty when it is fine. */
export function mutableReferenceExceptionProblems(exceptions: readonly MutableReferenceException[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  exceptions.forEach((exception, index) => {
    const at = `mutableReferenceExceptions[${index}] ('${exception.reference}')`;
    if (!exception.reference?.trim()) problems.push(`${at}: 'reference' is empty; copy the reference the check names`);
    if (seen.has(exception.reference)) problems.push(`${at}: listed twice; keep one entry per reference`);
    seen.add(exception.reference);
    if ((exception.reason ?? '').trim().length < 20) problems.push(`${at}: 'reason' must say why the reference cannot be pinned yet and what would fix it (at least 20 characters)`);
    if (!GITHUB_HANDLE.test(exception.reviewedBy ?? '')) problems.push(`${at}: 'reviewedBy' must be the GitHub user '@user' or team '@org/team' who accepted it, got '${exception.reviewedBy}'`);
    if (exception.expires !== undefined && (!DAY.test(exception.expires) || Number.isNaN(Date.parse(`${exception.expires}T00:00:00Z`)))) {
      problems.push(`${at}: 'expires' must be a day 'YYYY-MM-DD', got '${exception.expires}'`);
    }
  });
  return problems;
}

/** The release of a cluster in `environment`, or undefined when the fleet declares no releases. */
export function clusterRelease(releases: FleetReleases | undefined, environment: string): ClusterRelease | undefined {
  if (!releases) return undefined;
  return {
    stage: environment,
    immutable: releases.stages.isImmutable(environment),
    ...(releases.charts ? { charts: releases.charts.of(environment) } : {}),
    exceptions: releases.mutableReferenceExceptions ?? [],
  };
}
