import { FleetConfigError } from './fleet';
import { stagedPinProblems } from './release-pins';
import type { Stages } from './stages';

/**
 * A platform add-on's chart pin: its exact version, and for an OCI chart optionally the manifest
 * digest of that version: `'1.14.1'` or `'1.14.1@sha256:<64 hex>'`. With a digest, Flux pulls that
 * digest whatever the tag points at (`OCIRepository` `spec.ref.digest`).
 */
export type ChartPin = string;

/** A chart pin split into its parts. */
export interface ParsedChartPin {
  readonly version: string;
  /** `sha256:<64 hex>`. @default - none: the version (an OCI tag) alone */
  readonly digest?: string;
}

const CHART_PIN = /^(v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)(?:@(sha256:[0-9a-f]{64}))?$/;

/** Why `pin` is not a chart pin, or undefined when it is one. */
export function chartPinProblem(pin: string): string | undefined {
  if (CHART_PIN.test(pin)) return undefined;
  return `chart pin '${pin}' is not an exact version; write '<version>' (e.g. '1.14.1') or, for an OCI chart, '<version>@sha256:<64 hex digits>' (no ranges: an upgrade is a reviewed change of the pin)`;
}

/** The version and digest of a chart pin; throws for a malformed one. */
export function parseChartPin(pin: ChartPin): ParsedChartPin {
  const match = CHART_PIN.exec(pin);
  if (!match) throw new Error(chartPinProblem(pin));
  return match[2] ? { version: match[1]!, digest: match[2] } : { version: match[1]! };
}

/** One unit's chart pins: Helm release name (the `HelmAddon` name) → pin. */
export type UnitChartPins = Readonly<Record<string, ChartPin>>;

/** What charts one stage runs: unit name → its chart pins. Every stage pins the same units and releases. */
export type StageChartPins<U extends string = string> = Readonly<Record<U, UnitChartPins>>;

/**
 * The platform add-ons' chart versions per stage, next to the image pins (`defineReleases`), so a
 * chart upgrade moves `dev → staging → prod` through `flotilla promote` like an image does. The
 * version catalog (`VERSIONS` in @flotilla/constructs) keeps where each chart comes from and which
 * version its vendored CRDs and values schema were taken from; these pins say what each stage runs.
 */
export class ChartReleases<S extends string = string, U extends string = string> {
  constructor(
    readonly stages: Stages<S>,
    readonly pins: Readonly<Record<S, StageChartPins<U>>>,
  ) {
    const problems = stagedPinProblems('chart releases', stages, pins, chartPinProblem);
    if (problems.length > 0) throw new FleetConfigError(problems);
  }

  /** The chart pins of one stage. */
  of(stage: S): StageChartPins<U> {
    return this.pins[stage];
  }
}

/** Declares the fleet's chart pins per stage, checked when the module loads (see {@link ChartReleases}). */
export function defineChartReleases<S extends string, const U extends string>(stages: Stages<S>, pins: Readonly<Record<S, StageChartPins<U>>>): ChartReleases<S, U> {
  return new ChartReleases(stages, pins);
}
