/**
 * How the working tree's rendered files differ from a fresh render of its source (synth's own files
 * only): what `flotilla diff` and `guard` report first, because Flux applies the committed files.
 */
export interface RenderDrift {
  /** Files the render produces that the tree lacks. */
  readonly missing: readonly string[];
  /** Files whose content differs. */
  readonly changed: readonly string[];
  /** Files with synth's header the render no longer produces. */
  readonly stale: readonly string[];
  /** Paths synth could not write or damaged files it will not touch, each a sentence. @default - none */
  readonly problems?: readonly string[];
}

export type DriftState = 'missing' | 'changed' | 'stale';

/** One line per drifted file, in path order. */
export function driftFiles(drift: RenderDrift): { file: string; state: DriftState }[] {
  const entries = [
    ...drift.missing.map((file) => ({ file, state: 'missing' as const })),
    ...drift.changed.map((file) => ({ file, state: 'changed' as const })),
    ...drift.stale.map((file) => ({ file, state: 'stale' as const })),
  ];
  return entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export function hasDrift(drift: RenderDrift | undefined): drift is RenderDrift {
  return drift !== undefined && driftFiles(drift).length + (drift.problems?.length ?? 0) > 0;
}

const WHAT = {
  missing: 'not committed',
  changed: 'differs',
  stale: 'no longer rendered',
} as const;

const FIX = "run 'npm run synth' and commit clusters/";

function summary(drift: RenderDrift): string {
  const count = driftFiles(drift).length + (drift.problems?.length ?? 0);
  return `clusters/ differs from a fresh render of this change's source in ${count} file(s)`;
}

/** The drift section of the Markdown report (lines, ending with an empty one). */
export function driftMarkdown(drift: RenderDrift): string[] {
  const entries = driftFiles(drift);
  const shown = entries.slice(0, MAX_LISTED);
  return [
    `**:warning: Drift: ${summary(drift)}**`,
    '',
    'The diff below is rendered from source, but Flux applies the committed files: run `npm run synth` and commit `clusters/`.',
    '',
    ...shown.map((entry) => `- \`${entry.file}\`: ${WHAT[entry.state]}`),
    ...(entries.length > shown.length ? [`- … and ${entries.length - shown.length} more`] : []),
    ...(drift.problems ?? []).map((problem) => `- ${problem}`),
    '',
  ];
}

/** The drift section of the text reports (lines). */
export function driftText(drift: RenderDrift): string[] {
  return [
    `drift: ${summary(drift)}; the diff below is rendered from source, but Flux applies the committed files:`,
    ...driftFiles(drift).map((entry) => `  ${entry.state.padEnd(8)} ${entry.file}`),
    ...(drift.problems ?? []).map((problem) => `  ${problem}`),
    FIX,
  ];
}

/** The drift part of the JSON reports. */
export function driftJson(drift: RenderDrift): { files: { file: string; state: DriftState }[]; problems: readonly string[]; fix: string } {
  return { files: driftFiles(drift), problems: drift.problems ?? [], fix: FIX };
}

/** A comment stays readable; the text and JSON reports list every file. */
const MAX_LISTED = 50;
