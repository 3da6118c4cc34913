import { FleetConfigError } from '@flotilla/config';
import { SynthError } from '@flotilla/core';
import { commands } from './commands';
import { UsageError, type CommandIO } from './lib/command';

const USAGE = `Usage: flotilla <command> [options]

Flotilla renders typed cdk8s charts into clusters/ for Flux, and checks them before merge.

Commands:
${'{commands}'}

Run 'flotilla <command> --help' for a command's options.`;

/** Entry point of the bundled CLI; returns the exit code. */
export async function main(
  argv: readonly string[],
  repoRoot: string,
  invocationDir: string = repoRoot,
  io: CommandIO = processIO(repoRoot, invocationDir),
): Promise<number> {
  const list = commands.map((command) => `  ${command.name.padEnd(16)}${command.summary}`).join('\n');
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
    if (error instanceof SynthError) {
      io.err(`flotilla ${command.name}: ${error.describe()}\n`);
      return 1;
    }
    throw error;
  }
}

function processIO(cwd: string, invocationDir: string): CommandIO {
  return {
    cwd,
    invocationDir,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
}
