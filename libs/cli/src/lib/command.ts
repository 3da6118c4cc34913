import type { Fleet } from '@flotilla/config';

/**
 * One `flotilla <name>` sub-command.
 *
 * Commands live in `libs/cli/src/commands/<name>.ts`, export a `Command`, and are listed in
 * `libs/cli/src/commands/index.ts`, which is what `--help` prints.
 */
export interface Command {
  /** The word after `flotilla`, e.g. `synth` or `policy verify`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full help: usage line, options with defaults, examples. */
  readonly help: string;
  /** Runs the command; resolves to the process exit code. `args` excludes the command name. */
  run(args: readonly string[], io: CommandIO): Promise<number>;
}

/**
 * What the composition root (the fleet application) gives the engine: the fleet and where its inputs are.
 * The engine imports no fleet; `main(argv, { fleet, … })` hands it one.
 */
export interface FleetHost {
  /**
   * Loads the fleet. Only commands that render or read the fleet call it, so `policy verify` and
   * `diff` keep working while the fleet config is broken.
   */
  loadFleet(): Promise<Fleet>;
  /** The fleet's source folder relative to the repository root, named in cluster-level headers, e.g. `apps/fleet`. */
  readonly fleetSource: string;
  /** Absolute path of the Gatekeeper policy library (ConstraintTemplates) the checks and the fleet's units use. */
  readonly policiesDir: string;
  /** The fleet's stages and release pins, for `set-image` and `promote`. @default - none */
  readonly releases?: ReleasesHost;
}

/** Where a fleet declares its stages and release pins. */
export interface ReleasesHost {
  /** The stages in promotion order, e.g. `['dev', 'staging', 'prod']`. */
  readonly stages: readonly string[];
  /** The release pins file relative to the repository root, e.g. `apps/fleet/src/lib/releases.ts`. */
  readonly file: string;
}

/** Where a command prints; tests pass buffers instead of the real streams. */
export interface CommandIO {
  /** The repository root; commands read and write the workspace relative to it. */
  readonly cwd: string;
  /** Where the user ran the command; path arguments are relative to it. @default - same as `cwd` */
  readonly invocationDir?: string;
  /**
   * The fleet the commands render and check.
   *
   * @default - no fleet: `synth` fails with a usage error, `validate` uses `<cwd>/policies` and the
   * --kubernetes-version schemas for every cluster
   */
  readonly host?: FleetHost;
  out(text: string): void;
  err(text: string): void;
  /** Whether `out` is a terminal (`diff --format text` colours it only then). @default false */
  readonly outIsTerminal?: boolean;
  /** Whether `err` is a terminal (progress lines go there only then). @default false */
  readonly errIsTerminal?: boolean;
}

/** A user error: printed as-is (no stack trace), exit code 2 unless given. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The fleet host of `io`, or a usage error naming what is missing (the engine was started without a fleet). */
export function requireHost(io: CommandIO, command: string): FleetHost {
  if (!io.host) throw new UsageError(`'flotilla ${command}' needs a fleet, but the engine was started without one; run it through the fleet's entry point (npx flotilla ${command})`);
  return io.host;
}

/** The policy library the checks read: the host's, else `<cwd>/policies`. */
export function policiesDirOf(io: CommandIO): string {
  return io.host?.policiesDir ?? `${io.cwd}/policies`;
}
