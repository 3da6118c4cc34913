import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  diffRenders,
  formatGuardEntry,
  guardDiff,
  isUnchanged,
  loadRenderedTree,
  renderBaseTree,
  renderDiffJson,
  renderDiffText,
  renderDiffMarkdown,
  type BaseTree,
  type GuardResult,
  type RenderBaseOptions,
  type RenderDiff,
  type TransitionRuleChecker,
} from '@flotilla/diff';
import type { RenderedObject } from '@flotilla/model';
import { parseArgs } from '../lib/args';
import { UsageError, type Command, type CommandIO } from '../lib/command';
import { recoverFirst } from '../lib/recover-first';

/** What `flotilla diff` and `flotilla guard` need from the outside world; tests replace parts of it. */
export interface DiffDependencies {
  /**
   * Renders the base revision.
   * @default renderBaseTree from @flotilla/diff (temporary git worktree, the base's own synth)
   */
  readonly renderBase?: (options: RenderBaseOptions) => Promise<BaseTree>;
  /**
   * Proves `clusters/` matches the charts before it is used as the head (`--check`); resolves to an
   * error message, or undefined when the render is up to date.
   * @default - runs `flotilla synth --check` in this process
   */
  readonly checkHead?: (repoRoot: string) => Promise<string | undefined>;
  /**
   * CRD transition rules for the guard.
   * @default - the guard's default, evaluateTransitionRules from @flotilla/validate
   */
  readonly transitionRules?: TransitionRuleChecker;
}

export interface ComputedDiff {
  readonly diff: RenderDiff;
  readonly guard: GuardResult;
  /** How the base was rendered, for the report. */
  readonly notes: string[];
}

/**
 * Renders the base in a temporary worktree, reads the head from the working tree's `clusters/`
 * (the current render, not re-rendered), diffs them and runs the guard.
 */
export async function computeDiff(repoRoot: string, baseRef: string, deps: DiffDependencies = {}): Promise<ComputedDiff> {
  const cache = new Map<string, RenderedObject[]>();
  const headLoad = loadRenderedTree(repoRoot, { cache });
  // Read the head even if the base fails, so that a missing head render is reported first.
  headLoad.catch(() => undefined);
  const base = await (deps.renderBase ?? renderBaseTree)({ repoRoot, base: baseRef });
  try {
    const [baseObjects, headObjects] = await Promise.all([loadRenderedTree(base.dir, { cache }).catch(emptyIfNoTree), headLoad]);
    const diff = diffRenders(baseObjects, headObjects);
    const guard = guardDiff(diff, { transitionRules: deps.transitionRules });
    const notes = [
      base.rendered
        ? `Base \`${baseRef}\` rendered with its own synth; head is the working tree's \`clusters/\`.`
        : `Base \`${baseRef}\` is its committed \`clusters/\` (not re-rendered: ${base.fallbackReason ?? 'no synth'}); head is the working tree's \`clusters/\`.`,
    ];
    return { diff, guard, notes };
  } finally {
    await base.cleanup();
  }
}

/** A base revision from before the first render has no `clusters/`: everything in the head is new. */
function emptyIfNoTree(error: unknown): [] {
  if (error instanceof Error && error.message.startsWith('no rendered tree at')) return [];
  throw error;
}

export function createDiffCommand(deps: DiffDependencies = {}): Command {
  return {
    name: 'diff',
    summary: 'per-resource diff of clusters/ against a git revision, for pull-request comments',
    help: `Usage: flotilla diff --base <git-ref> [--format markdown|json|text] [--color] [--output <file>] [--no-guard] [--check]

Renders <git-ref> in a temporary git worktree (its own synth; its committed clusters/ if it has
none or it fails), compares it with the current clusters/ by object identity and prints the changes
per cluster and Flux Kustomization: added, removed, changed (field paths, old → new values),
renamed and moved. The working tree is not touched and not re-rendered.

Also runs the destructive-change guard (see 'flotilla guard --help') and exits 1 when it fails.

Options:
  --base <git-ref>     revision to compare with, e.g. origin/main or HEAD~1 (required)
  --format <format>    markdown (default; a pull-request comment), json, or text (per resource,
                       -/+ lines per field; coloured when standard output is a terminal)
  --color              colour the text format even when not writing to a terminal
  --output <file>      write the report to this file instead of standard output
  --no-guard           still report destructive changes, but exit 0
  --check              first prove clusters/ is up to date ('flotilla synth --check'); exit 1 if not
  --help               this text

Exit codes: 0 no blocking change, 1 the guard failed (or --check found drift), 2 usage error.

Examples:
  npx flotilla diff --base origin/main
  npx flotilla diff --base origin/main --output diff.md     # then post diff.md as a PR comment
  npx flotilla diff --base HEAD~1 --format json`,
    async run(args, io) {
      const parsed = parseArgs(args, { command: 'diff', valueFlags: ['base', 'format', 'output'], switchFlags: ['no-guard', 'check', 'color'] });
      const { base, format, output } = commonOptions(parsed, 'diff', ['markdown', 'json', 'text']);
      recoverFirst(io, 'flotilla diff');
      if (parsed.switches.has('check')) {
        const drift = await (deps.checkHead ?? ((repoRoot: string) => checkHeadInProcess(repoRoot, io)))(io.cwd);
        if (drift) {
          io.err(`${drift}\nclusters/ is not up to date with the charts, so the diff would be wrong; run 'npm run synth' first\n`);
          return 1;
        }
      }
      const { diff, guard, notes } = await computeDiff(io.cwd, base, deps);
      const title = `Flotilla render diff: \`${base}\` → this change`;
      const color = parsed.switches.has('color') || (!output && io.outIsTerminal === true);
      const report =
        format === 'json'
          ? renderDiffJson(diff, guard, { notes })
          : format === 'text'
            ? renderDiffText(diff, guard, { notes, color })
            : renderDiffMarkdown(diff, guard, { title, notes });
      await emit(report, output, io);
      const failed = guard.failures.length > 0;
      if (output) {
        const t = diff.totals;
        const summary = isUnchanged(diff)
          ? 'no changes'
          : `${t.added} added, ${t.changed} changed, ${t.removed} removed, ${t.renamed} renamed, ${t.moved} moved`;
        io.out(`wrote ${output}: ${summary}; guard ${failed ? 'failed' : 'passed'}\n`);
      }
      if (!failed) return 0;
      printFailures(guard, io);
      if (parsed.switches.has('no-guard')) {
        io.err('--no-guard: exiting 0 despite the destructive changes above\n');
        return 0;
      }
      return 1;
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

/** `flotilla synth --check` in this process, its output captured; returns the drift report. */
async function checkHeadInProcess(repoRoot: string, io: CommandIO): Promise<string | undefined> {
  const { synthCommand } = await import('./synth');
  let errors = '';
  const code = await synthCommand.run(['--check'], { cwd: repoRoot, host: io.host, out: () => undefined, err: (text) => (errors += text) });
  return code === 0 ? undefined : errors.trim() || `flotilla synth --check exited with ${code}`;
}
