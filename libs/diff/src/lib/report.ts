import { driftJson, driftMarkdown, hasDrift, type RenderDrift } from './drift-report';
import { formatValue, type FieldChange } from './field-diff';
import type { GuardEntry, GuardResult } from './guard';
import { isUnchanged, type ClusterDiff, type DiffCounts, type RenderDiff, type ResourceChange } from './render-diff';

export interface ReportOptions {
  /**
   * Heading of the Markdown report.
   * @default 'Flotilla render diff'
   */
  readonly title?: string;
  /**
   * Lines printed under the heading, e.g. which revision the base is and how it was rendered.
   * @default - none
   */
  readonly notes?: readonly string[];
  /**
   * How the working tree's rendered files differ from the head's render; shown first, before the diff.
   * @default - no drift section
   */
  readonly drift?: RenderDrift;
  /**
   * Upper bound on the Markdown length; per-cluster details are cut beyond it (GitHub comments hold 65,536 characters).
   * @default 60000
   */
  readonly maxLength?: number;
  /**
   * Field changes listed per resource before "… and N more".
   * @default 20
   */
  readonly maxFieldsPerResource?: number;
}

const COUNT_COLUMNS: readonly (keyof DiffCounts)[] = ['added', 'changed', 'removed', 'renamed', 'moved'];

/**
 * The diff as a pull-request comment: a table of counts per cluster, the guard's verdict, then one
 * `<details>` block per changed cluster listing the changes per Flux Kustomization.
 */
export function renderDiffMarkdown(diff: RenderDiff, guard?: GuardResult, options: ReportOptions = {}): string {
  const maxLength = options.maxLength ?? 60_000;
  const head = [`### ${options.title ?? 'Flotilla render diff'}`, ''];
  if (hasDrift(options.drift)) head.push(...driftMarkdown(options.drift));
  for (const note of options.notes ?? []) head.push(`> ${note}`, '');
  if (isUnchanged(diff)) {
    head.push(`No changes: the rendered manifests are identical (${plural(diff.clusters.length, 'cluster')}).`);
    // Nothing changed, so there is nothing for the guard to say either.
    return head.join('\n') + '\n';
  }
  const changed = diff.clusters.filter((cluster) => cluster.kustomizations.length > 0);
  const unchanged = diff.clusters.filter((cluster) => cluster.kustomizations.length === 0);
  const lines = [...head, '| Cluster | Added | Changed | Removed | Renamed | Moved |', '| --- | --: | --: | --: | --: | --: |'];
  for (const cluster of changed) lines.push(`| ${cluster.cluster} | ${COUNT_COLUMNS.map((c) => cluster.counts[c]).join(' | ')} |`);
  if (changed.length > 1) lines.push(`| **total** | ${COUNT_COLUMNS.map((c) => `**${diff.totals[c]}**`).join(' | ')} |`);
  if (unchanged.length > 0) lines.push('', `Unchanged: ${unchanged.map((cluster) => cluster.cluster).join(', ')}.`);
  lines.push('', ...guardSection(guard));

  const marks = guardMarks(guard);
  let text = lines.join('\n');
  let shown = 0;
  // Room kept for the closing note about what was left out.
  const reserve = 300;
  for (const cluster of changed) {
    const budget = maxLength - reserve - text.length;
    const block = clusterBlock(cluster, marks, options.maxFieldsPerResource ?? 20, budget);
    if (!block) break;
    text += '\n' + block;
    shown++;
    if (text.length >= maxLength - reserve - MIN_BLOCK) break;
  }
  if (shown < changed.length) {
    const left = changed.slice(shown).map((cluster) => cluster.cluster);
    text += `\n\n_Details of ${left.join(', ')} are left out to keep this comment under ${maxLength} characters; run \`flotilla diff --format json\` for everything._`;
  }
  // Sections each bring their own spacing; keep one blank line between them.
  return text.replace(/\n{3,}/g, '\n\n') + '\n';
}

/** The diff (without object bodies) and the guard verdict as JSON, for machines. */
export function renderDiffJson(diff: RenderDiff, guard?: GuardResult, options: Pick<ReportOptions, 'notes' | 'drift'> = {}): string {
  const report = {
    ...(hasDrift(options.drift) ? { drift: driftJson(options.drift) } : {}),
    unchanged: isUnchanged(diff),
    ...(options.notes && options.notes.length > 0 ? { notes: options.notes } : {}),
    totals: diff.totals,
    clusters: diff.clusters.map((cluster) => ({
      cluster: cluster.cluster,
      counts: cluster.counts,
      kustomizations: cluster.kustomizations.map((k) => ({
        kustomization: k.kustomization,
        ...(k.path === undefined ? {} : { path: k.path }),
        changes: k.changes.map(({ base: _base, head: _head, ...change }) => change),
      })),
    })),
    ...(guard ? { guard: { passed: guard.failures.length === 0, ...guard } } : {}),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

/** A change field as one Markdown line: `` `path`: `old` → `new` ``. */
export function describeFieldChange(field: FieldChange): string {
  const path = code(field.path);
  if (field.hidden) return `${path}: ${field.type} (secret value hidden)`;
  if (field.lines) return `${path}: changed (+${field.lines.added}/−${field.lines.removed} lines)`;
  if (field.long) return `${path}: ${field.type}`;
  if (field.type === 'added') return `${path}: added ${code(formatValue(field.after))}`;
  if (field.type === 'removed') return `${path}: removed (was ${code(formatValue(field.before))})`;
  return `${path}: ${code(formatValue(field.before))} → ${code(formatValue(field.after))}`;
}

/** Guard entries listed per section of the comment; the rest are counted. */
const MAX_GUARD_ENTRIES = 50;

function guardSection(guard: GuardResult | undefined): string[] {
  if (!guard) return [];
  const lines: string[] = [];
  const list = (entries: readonly GuardEntry[], withReason: boolean) => [
    ...entries.slice(0, MAX_GUARD_ENTRIES).map((entry) => {
      const path = entry.path ? ` ${code(entry.path)}` : '';
      const reason = withReason && entry.acceptedReason ? ` — reason: ${quote(entry.acceptedReason)}` : '';
      const fix = !withReason && entry.fix ? `<br>_Fix:_ ${escapeText(entry.fix)}` : '';
      return `- \`${entry.cluster}\` · **${code(entry.object)}**${path} (Kustomization ${code(entry.kustomization)}): ${escapeText(entry.message)}${reason}${fix}`;
    }),
    ...(entries.length > MAX_GUARD_ENTRIES ? [`- … and ${entries.length - MAX_GUARD_ENTRIES} more (run \`flotilla guard\` for all)`] : []),
  ];
  if (guard.failures.length > 0) {
    lines.push(`**:x: Destructive-change guard: ${plural(guard.failures.length, 'blocking change')}**`, '', ...list(guard.failures, false), '');
  } else {
    lines.push('**:white_check_mark: Destructive-change guard passed.**', '');
  }
  if (guard.accepted.length > 0) {
    lines.push(`**:warning: Accepted destructive changes (${guard.accepted.length})**`, '', ...list(guard.accepted, true), '');
  }
  if (guard.notes.length > 0) {
    lines.push(`**:information_source: Notes (${guard.notes.length})**`, '', ...list(guard.notes, false), '');
  }
  return lines;
}

/** Per resource (cluster + key): the guard's verdict, shown next to the change. */
function guardMarks(guard: GuardResult | undefined): Map<string, string> {
  const marks = new Map<string, string>();
  for (const entry of guard?.notes ?? []) marks.set(`${entry.cluster}/${entry.key}`, ' — :information_source: safe');
  for (const entry of guard?.accepted ?? []) {
    marks.set(`${entry.cluster}/${entry.key}`, ` — :warning: accepted: ${quote(entry.acceptedReason ?? '')}`);
  }
  for (const entry of guard?.failures ?? []) marks.set(`${entry.cluster}/${entry.key}`, ' — :x: **blocked**');
  return marks;
}

/** Smallest cluster block worth starting: below this, the cluster is listed as left out instead. */
const MIN_BLOCK = 400;

/**
 * One cluster's `<details>` block within `budget` characters: resources that do not fit are counted
 * in a closing line. Undefined when not even the start of the block fits.
 */
function clusterBlock(cluster: ClusterDiff, marks: Map<string, string>, maxFields: number, budget: number): string | undefined {
  if (budget < MIN_BLOCK) return undefined;
  const counts = COUNT_COLUMNS.filter((c) => cluster.counts[c] > 0).map((c) => `${cluster.counts[c]} ${c}`);
  const close = '</details>';
  let text = `\n<details><summary><b>${cluster.cluster}</b>: ${counts.join(', ')}</summary>\n`;
  const total = cluster.kustomizations.reduce((sum, k) => sum + k.changes.length, 0);
  let written = 0;
  for (const k of cluster.kustomizations) {
    const heading = `\n**Kustomization ${code(k.kustomization)}**${k.path !== undefined ? ` (${code(k.path || '.')})` : ''}\n\n`;
    let section = heading;
    for (const change of k.changes) {
      const lines = changeLines(change, marks.get(`${change.cluster}/${change.key}`) ?? '', maxFields).join('\n') + '\n';
      if (text.length + section.length + lines.length + close.length + 120 > budget) {
        const left = total - written;
        if (section !== heading) text += section;
        return `${text}\n_… ${plural(left, 'more change')} in ${cluster.cluster} not shown (comment size limit)._\n\n${close}`;
      }
      section += lines;
      written++;
    }
    text += section;
  }
  return `${text}\n${close}`;
}

function changeLines(change: ResourceChange, mark: string, maxFields: number): string[] {
  const object = code(change.object);
  const group = change.apiGroup ? ` (${change.apiGroup})` : '';
  let head: string;
  switch (change.type) {
    case 'renamed':
      head = `- **renamed** ${code(change.from?.object ?? '')} → ${object}${group}`;
      break;
    case 'moved': {
      const from = change.from;
      const where =
        from && from.kustomization !== change.kustomization
          ? `from Kustomization ${code(from.kustomization)}`
          : `from file ${code(from?.file ?? '')}`;
      head = `- **moved** ${object}${group} ${where}`;
      break;
    }
    default:
      head = `- **${change.type}** ${object}${group}`;
  }
  const lines = [head + mark];
  const fields = change.fields.slice(0, maxFields).map((field) => `  - ${describeFieldChange(field)}`);
  lines.push(...fields);
  if (change.fields.length > maxFields) lines.push(`  - … and ${change.fields.length - maxFields} more fields`);
  return lines;
}

/** A Markdown code span that survives backticks in the text. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function quote(text: string): string {
  return `“${escapeText(text)}”`;
}

/** Plain text in a list item: keep HTML and Markdown emphasis from being interpreted. */
function escapeText(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/([*_[\]])/g, '\\$1');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
