import { driftText, hasDrift, type RenderDrift } from './drift-report';
import { formatValue, type FieldChange } from './field-diff';
import { formatGuardEntry, type GuardResult } from './guard';
import { allChanges, isUnchanged, type RenderDiff, type ResourceChange } from './render-diff';

export interface TextReportOptions {
  /** ANSI colours (for a terminal). @default false */
  readonly color?: boolean;
  /** Lines printed first, e.g. how the base was rendered. @default [] */
  readonly notes?: readonly string[];
  /** How the working tree's rendered files differ from the head's render; printed first. @default - none */
  readonly drift?: RenderDrift;
}

const ANSI = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;
type Colour = keyof typeof ANSI;

const SIGN: Record<ResourceChange['type'], [string, Colour]> = {
  added: ['+', 'green'],
  removed: ['-', 'red'],
  changed: ['~', 'yellow'],
  renamed: ['>', 'cyan'],
  moved: ['>', 'cyan'],
};

/**
 * The diff for people on a terminal: one block per resource (`+` added, `-` removed, `~` changed,
 * `>` renamed or moved), its changed fields as `-`/`+` lines, the guard's verdict next to it, and the
 * guard's summary at the end. Colour only when asked for: files and pipes get plain text.
 */
export function renderDiffText(diff: RenderDiff, guard?: GuardResult, options: TextReportOptions = {}): string {
  const paint = (colour: Colour, text: string) => (options.color ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text);
  const lines = hasDrift(options.drift) ? driftText(options.drift).map((line, i) => (i === 0 ? paint('yellow', paint('bold', line)) : line)) : [];
  if (lines.length > 0) lines.push('');
  lines.push(...(options.notes ?? []).map((note) => paint('dim', note.replace(/`/g, "'"))));
  if (isUnchanged(diff)) lines.push('No changes.');
  const verdict = new Map<string, string>();
  for (const entry of guard?.notes ?? []) verdict.set(`${entry.cluster}/${entry.key}`, paint('dim', '(retained)'));
  for (const entry of guard?.accepted ?? []) verdict.set(`${entry.cluster}/${entry.key}`, paint('yellow', `(accepted: ${entry.acceptedReason ?? ''})`));
  for (const entry of guard?.failures ?? []) verdict.set(`${entry.cluster}/${entry.key}`, paint('red', paint('bold', 'BLOCKED')));
  for (const change of allChanges(diff)) {
    const [sign, colour] = SIGN[change.type];
    const from = change.from ? ` (from ${change.from.object}${change.from.kustomization !== change.kustomization ? ` in ${change.from.kustomization}` : ''})` : '';
    const mark = verdict.get(`${change.cluster}/${change.key}`);
    lines.push(
      `${paint(colour, `${sign} ${change.object}`)}${from}  ${paint('dim', `${change.cluster} · ${change.kustomization} · ${change.file}`)}${mark ? `  ${mark}` : ''}`,
    );
    for (const field of change.fields) lines.push(...fieldLines(field, paint));
  }
  if (guard) {
    lines.push('');
    if (guard.failures.length > 0) {
      lines.push(paint('red', paint('bold', `destructive-change guard failed: ${guard.failures.length} blocking change(s)`)));
      for (const entry of guard.failures) lines.push(`  ${formatGuardEntry(entry)}`);
    } else {
      lines.push(paint('green', 'destructive-change guard passed'));
    }
    for (const entry of guard.accepted) lines.push(`  ${paint('yellow', 'accepted:')} ${formatGuardEntry(entry)}`);
  }
  return lines.join('\n') + '\n';
}

function fieldLines(field: FieldChange, paint: (colour: Colour, text: string) => string): string[] {
  const at = `    ${field.path}`;
  if (field.hidden) return [paint('yellow', `${at}: ${field.type} (secret value hidden)`)];
  if (field.lines) return [paint('yellow', `${at}: changed (+${field.lines.added}/-${field.lines.removed} lines)`)];
  if (field.long) return [paint('yellow', `${at}: ${field.type}`)];
  const out: string[] = [];
  if (field.type !== 'added') out.push(paint('red', `  - ${field.path}: ${formatValue(field.before)}`));
  if (field.type !== 'removed') out.push(paint('green', `  + ${field.path}: ${formatValue(field.after)}`));
  return out;
}
