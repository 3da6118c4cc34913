/**
 * Where a unit factory was called: the stack captured when the unit was created, read only when a
 * render error is reported (the engine maps it through the CLI bundle's source map to the fleet
 * config line, e.g. `apps/fleet/src/lib/platform/tenants.ts:13`). V8 records the frames at
 * construction and formats them on first read, so an unused call site costs a few microseconds.
 */
export class UnitCallSite {
  /** The captured stack; its message says what it is if it is ever printed. */
  readonly trace: Error;

  constructor() {
    // Deep enough for a factory that builds its units through helpers (map callbacks, sub-factories).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 40;
    this.trace = new Error('unit created here');
    Error.stackTraceLimit = limit;
  }
}

/** Records where the calling unit factory was called; unit factories set `createdAt: unitCallSite()`. */
export function unitCallSite(): UnitCallSite {
  return new UnitCallSite();
}
