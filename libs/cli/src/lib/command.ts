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

/** Where a command prints; tests pass buffers instead of the real streams. */
export interface CommandIO {
  /** The repository root; commands read and write the workspace relative to it. */
  readonly cwd: string;
  /** Where the user ran the command; path arguments are relative to it. @default - same as `cwd` */
  readonly invocationDir?: string;
  out(text: string): void;
  err(text: string): void;
}

/** A user error: printed as-is (no stack trace), exit code 2 unless given. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UsageError';
  }
}
