import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  diffRenders,
  formatGuardEntry,
  guardDiff,
  hasDrift,
  isUnchanged,
  parseRenderedFiles,
  renderBase,
  renderDiffJson,
  renderDiffText,
  renderDiffMarkdown,
  type BaseRender,
  type GuardResult,
  type RenderBaseOptions,
  type RenderDiff,
  type RenderDrift,
  type TransitionRuleChecker,
} from '@flotilla/diff';
import type { RenderedObject } from '@flotilla/model';
import { parseArgs } from '../lib/args';
import { UsageError, type Command, type CommandIO } from '../lib/command';
import { renderHead } from '../lib/head-render';
import { recoverFirst } from '../lib/recover-first';

/** What `flotilla diff` and `flotilla guard` need from the outside world. */
export interface DiffDependencies {
  /**
   * Renders the base revision from its source.
   * @default renderBase from @flotilla/diff (the commit exported to a temporary folder, its own synth, cached by commit)
   */
  readonly renderBase?: (options: RenderBaseOptions) => Promise<BaseRender>;
  /**
   * CRD transition rules for the guard.
   * @default - the guard's default, evaluateTransitionRules from @flotilla/validate
   */
  readonly transitionRules?: TransitionRuleChecker;
}

export interface ComputedDiff {
  readonly diff: RenderDiff;
  readonly guard: GuardResult;
  /** The working tree's `clusters/` against the head's render; reported first. */
  readonly drift: RenderDrift;
  /** How both sides were rendered, for the report. */
  readonly notes: string[];
}

/**
 * Renders both sides from source, never trusting a committed render: the head from the working tree
 * (the fleet the composition root hands the engine, in memory), the base from its commit (its own
 * synth, in a temporary folder). Diffs them, runs the guard, and compares the working tree's
 * `clusters/` with the head's render (drift).
 */
export async function computeDiff(io: CommandIO, baseRef: string, command: string, deps: DiffDependencies = {}): Promise<ComputedDiff> {
  // The head first: a working tree that does not render is the first thing to fix.
  const head = await renderHead(io, command);
  const progress = io.errIsTerminal ? (message: string) => io.err(`flotilla ${command}: ${message}…\n`) : undefined;
  const base = await (deps.renderBase ?? renderBase)({ repoRoot: io.cwd, base: baseRef, progress });
  // Most files are the same on both sides: parse each text once and share the objects.
  const cache = new Map<string, RenderedObject[]>();
  const diff = diffRenders(parseRenderedFiles(base.files, { cache }), parseRenderedFiles(head.files, { cache }));
  const guard = guardDiff(diff, { transitionRules: deps.transitionRules });
  const how = base.cached ? 'rendered from its source by its own synth (cached)' : 'rendered from its source by its own synth';
  const notes = [
    `Base \`${baseRef}\` (${base.commit.slice(0, 12)}) ${how}${base.notes.length > 0 ? `; ${base.notes.join('; ')}` : ''}; head rendered from the working tree's source.`,
  ];
  return { diff, guard, drift: head.drift, notes };
}

/** Tells stderr about drift, so a CI log shows it even when the report goes to a file. */
export function printDrift(drift: RenderDrift, io: CommandIO): void {
  if (!hasDrift(drift)) return;
  const count = drift.missing.length + drift.changed.length + drift.stale.length + (drift.problems?.length ?? 0);
  io.err(`drift: clusters/ differs from a fresh render of the working tree's source in ${count} file(s); run 'npm run synth' and commit clusters/\n`);
}

export function createDiffCommand(deps: DiffDependencies = {}): Command {
  return {
    name: 'diff',
    summary: 'per-resource diff of clusters/ against a git revision, for pull-request comments',
    help: `Usage: flotilla diff --base <git-ref> [--format markdown|json|text] [--color] [--output <file>] [--no-guard] [--check]

Renders both sides from source, never from a committed clusters/: the head from the working
tree's source, in memory; the base from <git-ref>'s source, exported to a temporary folder and
rendered by that commit's own synth (renders are cached by commit in .flotilla/cache/). Compares
them by object identity and prints the changes per cluster and Flux Kustomization: added, removed,
changed (field paths, old → new values), renamed and moved. Nothing in the working tree is written.

When clusters/ differs from the head's render (synth's own files), the report starts with that
drift, names the files, and the command exits 1: Flux applies the committed files, so run
'npm run synth' and commit clusters/.

Also runs the destructive-change guard (see 'flotilla guard --help') and exits 1 when it fails.

Options:
  --base <git-ref>     revision to compare with, e.g. origin/main or HEAD~1 (required)
  --format <format>    markdown (default; a pull-request comment), json, or text (per resource,
                       -/+ lines per field; coloured when standard output is a terminal)
  --color              colour the text format even when not writing to a terminal
  --output <file>      write the report to this file instead of standard output
  --no-guard           still report destructive changes, but do not fail for them (drift still fails)
  --check              accepted for older scripts: the drift check always runs
  --help               this text

Exit codes: 0 no blocking change and no drift, 1 the guard failed, clusters/ drifted, or a side
could not be rendered (the error names the commit and the failing step), 2 usage error.

Examples:
  npx flotilla diff --base origin/main
  npx flotilla diff --base origin/main --output diff.md     # then post diff.md as a PR comment
  npx flotilla diff --base HEAD~1 --format json`,
    async run(args, io) {
      const parsed = parseArgs(args, { command: 'diff', valueFlags: ['base', 'format', 'output'], switchFlags: ['no-guard', 'check', 'color'] });
      const { base, format, output } = commonOptions(parsed, 'diff', ['markdown', 'json', 'text']);
      recoverFirst(io, 'flotilla diff');
      const { diff, guard, drift, notes } = await computeDiff(io, base, 'diff', deps);
      const title = `Flotilla render diff: \`${base}\` → this change`;
      const color = parsed.switches.has('color') || (!output && io.outIsTerminal === true);
      const report =
        format === 'json'
          ? renderDiffJson(diff, guard, { notes, drift })
          : format === 'text'
            ? renderDiffText(diff, guard, { notes, color, drift })
            : renderDiffMarkdown(diff, guard, { title, notes, drift });
      await emit(report, output, io);
      const failed = guard.failures.length > 0;
      if (output) {
        const t = diff.totals;
        const summary = isUnchanged(diff)
          ? 'no changes'
          : `${t.added} added, ${t.changed} changed, ${t.removed} removed, ${t.renamed} renamed, ${t.moved} moved`;
        io.out(`wrote ${output}: ${summary}; guard ${failed ? 'failed' : 'passed'}${hasDrift(drift) ? '; clusters/ drifted' : ''}\n`);
      }
      printDrift(drift, io);
      if (failed) printFailures(guard, io);
      if (failed && parsed.switches.has('no-guard')) io.err('--no-guard: not failing for the destructive changes above\n');
      return hasDrift(drift) || (failed && !parsed.switches.has('no-guard')) ? 1 : 0;
    },
  };
}

export const diffCommand: Command = createDiffCommand();

/** `--base`, `--format`, `--output`, validated the same way for diff and guard. */
export function commonOptions(
  parsed: ReturnType<typeof parseArgs>,
  command: string,
  formats: readonly string[],
): { base: string; format: string; output?: string } {
  if (parsed.positionals.length > 0) {
    throw new UsageError(`'flotilla ${command}' takes no arguments, got '${parsed.positionals.join(' ')}'; did you mean --base ${parsed.positionals[0]}?`);
  }
  const single = (name: string) => {
    const values = parsed.flags.get(name) ?? [];
    if (values.length > 1) throw new UsageError(`--${name} is given ${values.length} times (${values.join(', ')}); give it once`);
    return values[0];
  };
  const base = single('base');
  if (!base) throw new UsageError(`--base is required: the git revision to compare with, e.g. 'flotilla ${command} --base origin/main'`);
  const format = single('format') ?? formats[0];
  if (!formats.includes(format)) {
    throw new UsageError(`--format ${format} is not supported; use ${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}`);
  }
  return { base, format, output: single('output') };
}

export function printFailures(guard: GuardResult, io: CommandIO): void {
  io.err(`destructive-change guard failed: ${guard.failures.length} blocking change(s)\n`);
  for (const entry of guard.failures) io.err(`  ${formatGuardEntry(entry)}\n`);
}

export async function emit(report: string, output: string | undefined, io: CommandIO): Promise<void> {
  if (!output) {
    io.out(report);
    return;
  }
  const file = path.resolve(io.cwd, output);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, report);
}
