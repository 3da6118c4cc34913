import { digestPinProblem, type DigestPin } from '@flotilla/model';
import { FleetConfigError } from './fleet';
import type { Stages } from './stages';

// The digest-pin rule lives in @flotilla/model, so the generators (which may use only the model) apply the same one.
export { digestPinProblem, type DigestPin };

/** A workload's pins: pin name (e.g. `image`, `v1`, `agent`) → digest pin. */
export type UnitPins = Readonly<Record<string, DigestPin>>;

/** What each stage runs: unit name → its pins. Every stage pins the same units and pin names. */
export type StagePins<U extends string = string> = Readonly<Record<U, UnitPins>>;

/** Release pins of the fleet, per stage, separate from the environment settings of the team catalog. */
export class ReleasePins<S extends string = string, U extends string = string> {
  constructor(
    readonly stages: Stages<S>,
    readonly pins: Readonly<Record<S, StagePins<U>>>,
  ) {
    const problems = stagedPinProblems('releases', stages, pins, digestPinProblem);
    if (problems.length > 0) throw new FleetConfigError(problems);
  }

  /** The pins of one stage. */
  of(stage: S): StagePins<U> {
    return this.pins[stage];
  }
}

/** Declares the fleet's release pins, checked when the module loads (see {@link ReleasePins}). */
export function defineReleases<S extends string, const U extends string>(stages: Stages<S>, pins: Readonly<Record<S, StagePins<U>>>): ReleasePins<S, U> {
  return new ReleasePins(stages, pins);
}

/**
 * Problems of per-stage pins (`<stage>.<unit>.<pin>`): a stage without pins, a pin `problemOf`
 * rejects, a stage that pins other units or pin names than the first, a key that is not a stage.
 * Shared by image pins ({@link ReleasePins}) and chart pins (`ChartReleases`).
 */
export function stagedPinProblems<S extends string>(
  what: string,
  stages: Stages<S>,
  pins: Readonly<Record<S, Readonly<Record<string, Readonly<Record<string, string>>>>>>,
  problemOf: (ref: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  const [first] = stages.order;
  const shape = (stage: S) => Object.entries(pins[stage] as Record<string, UnitPins>).flatMap(([unit, named]) => Object.keys(named).map((pin) => `${unit}.${pin}`)).sort();
  for (const stage of stages.order) {
    const stagePins = pins[stage] as Record<string, UnitPins> | undefined;
    if (!stagePins) {
      problems.push(`${what}: stage '${stage}' has no pins; add '${stage}: { … }' with the same units as '${first}'`);
      continue;
    }
    for (const [unit, named] of Object.entries(stagePins)) {
      for (const [pin, ref] of Object.entries(named)) {
        const problem = problemOf(ref);
        if (problem) problems.push(`${what}: ${stage}.${unit}.${pin}: ${problem}`);
      }
    }
    const expected = shape(first);
    const actual = shape(stage);
    const missing = expected.filter((key) => !actual.includes(key));
    const extra = actual.filter((key) => !expected.includes(key));
    if (missing.length + extra.length > 0) {
      problems.push(`${what}: stage '${stage}' pins ${[...missing.map((key) => `no ${key}`), ...extra.map((key) => `${key} that '${first}' does not`)].join(', ')}; every stage pins the same units and names`);
    }
  }
  for (const stage of Object.keys(pins)) if (!stages.has(stage)) problems.push(`${what}: '${stage}' is not a stage (stages: ${stages.order.join(', ')})`);
  return problems;
}
