import { UsageError } from './command';

/** Parsed flags: `--name value`, `--name=value`, repeated flags collected, and bare words. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string[]>;
  readonly switches: Set<string>;
}

/**
 * Parses `args` against the flags a command declares: `valueFlags` take a value, `switchFlags` do
 * not. Anything else is a usage error naming the flag and the command's help.
 */
export function parseArgs(args: readonly string[], spec: { valueFlags?: string[]; switchFlags?: string[]; command: string }): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (spec.switchFlags?.includes(name)) {
      switches.add(name);
    } else if (spec.valueFlags?.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) {
        throw new UsageError(`--${name} needs a value; see 'flotilla ${spec.command} --help'`);
      }
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else {
      throw new UsageError(`unknown option --${name} for 'flotilla ${spec.command}'; see 'flotilla ${spec.command} --help'`);
    }
  }
  return { positionals, flags, switches };
}
