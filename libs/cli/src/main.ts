import { FleetConfigError, type Fleet } from '@flotilla/config';
import { SynthError } from '@flotilla/core';
import { BaseRenderError } from '@flotilla/diff';
import { commands } from './commands';
import { UsageError, type CommandIO, type FleetHost, type ReleasesHost } from './lib/command';

const USAGE = `Usage: flotilla <command> [options]

Flotilla renders typed cdk8s charts into clusters/ for Flux, and checks them before merge.

Commands:
${'{commands}'}

Run 'flotilla <command> --help' for a command's options, 'flotilla --version' for the version.`;

/** What the fleet application passes to {@link main}. */
export interface EngineOptions {
  /**
   * The fleet to render, or a function that loads it. A function is called only by commands that
   * need the fleet, so a broken fleet config does not stop `policy verify`.
   */
  readonly fleet: Fleet | (() => Fleet | Promise<Fleet>);
  /** Absolute path of the repository root; `clusters/` is written under it. */
  readonly repoRoot: string;
  /** The fleet's source folder relative to `repoRoot`, named in cluster-level headers, e.g. `apps/fleet`. */
  readonly fleetSource: string;
  /** Absolute path of the Gatekeeper policy library. */
  readonly policiesDir: string;
  /**
   * The fleet's stages in promotion order and its release pins file, for `set-image` and `promote`.
   * @default - none: those commands fail with a usage error
   */
  readonly releases?: ReleasesHost;
  /** Where the user ran the command. @default - `repoRoot` */
  readonly invocationDir?: string;
  /** What `flotilla --version` prints. @default - `0.0.0-unknown` */
  readonly version?: string;
  /** Where output goes. @default - the process's stdout and stderr */
  readonly io?: Pick<CommandIO, 'out' | 'err'>;
}

/** Runs one `flotilla` command line against the given fleet; returns the exit code. */
export async function main(argv: readonly string[], options: EngineOptions): Promise<number> {
  const io: CommandIO = {
    ...processIO(options.repoRoot, options.invocationDir ?? options.repoRoot),
    ...options.io,
    host: fleetHost(options),
  };
  const list = commands.map((command) => `  ${command.name.padEnd(18)}${command.summary}`).join('\n');
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.out(`flotilla ${options.version ?? '0.0.0-unknown'}\n`);
    return 0;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(`${USAGE.replace('{commands}', list)}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  // Longest match first, so 'policy verify' wins over a hypothetical 'policy'.
  const command = [...commands]
    .sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)
    .find((candidate) => candidate.name.split(' ').every((word, index) => argv[index] === word));
  if (!command) {
    io.err(`unknown command '${argv[0]}'\n\n${USAGE.replace('{commands}', list)}\n`);
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`flotilla ${command.name}: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof FleetConfigError) {
      io.err(`flotilla ${command.name}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof BaseRenderError) {
      io.err(`flotilla ${command.name}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof SynthError) {
      io.err(`flotilla ${command.name}: ${error.describe()}\n`);
      return 1;
    }
    throw error;
  }
}

function fleetHost(options: EngineOptions): FleetHost {
  const { fleet } = options;
  return {
    loadFleet: async () => (typeof fleet === 'function' ? fleet() : fleet),
    fleetSource: options.fleetSource,
    policiesDir: options.policiesDir,
    ...(options.releases ? { releases: options.releases } : {}),
  };
}

function processIO(cwd: string, invocationDir: string): CommandIO {
  return {
    cwd,
    invocationDir,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    outIsTerminal: process.stdout.isTTY === true,
    errIsTerminal: process.stderr.isTTY === true,
  };
}
