import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseChartPin } from '@flotilla/config';
import { diffRenders, guardDiff, isUnchanged, loadRenderedTree, renderDiffMarkdown, formatGuardEntry } from '@flotilla/diff';
import type { RenderedObject } from '@flotilla/model';
import { parseArgs } from '../lib/args';
import { UsageError, requireHost, type Command } from '../lib/command';
import type { PinSite } from '../lib/pins-file';
import { provePromotion, type ChartMove } from '../lib/promotion-proof';
import { recoverFirst } from '../lib/recover-first';
import { checkStage, clustersOfStage, imageOnCluster, readPins, renderFleet, requireReleases, single, writePins } from '../lib/releases';
import { committedAt, formatSoak, parseSoak } from '../lib/soak';
import { applyPins, type ReleaseDependencies } from './set-image';

/** One pin a promotion copies. */
interface PinMove {
  readonly source: PinSite;
  readonly target: PinSite;
}

export function createPromoteCommand(deps: ReleaseDependencies & { readonly now?: () => Date } = {}): Command {
  return {
    name: 'promote',
    summary: "copy a unit's release pins from one stage to the next, render, and prove only the pins changed",
    help: `Usage: flotilla promote <unit>|--all --from <stage> --to <stage> [--out <file>] [--skip-stage "<reason>"] [--min-soak <duration>]

Copies the release pins of <unit> (or of every unit, --all) from stage <from> to stage <to> in the
fleet's release pins file (image pins and chart pins), renders clusters/, and proves the result
against the committed render (HEAD): every field that changes must be, on a <to> cluster, an image
field set to the promoted pin or a chart version field (HelmRelease chart version, OCIRepository
tag or digest) of the promoted chart pin's release.
Any other change (another field, another cluster, an added or removed object) is listed and the
promotion fails. Then runs the destructive-change guard and writes the promotion's Markdown (pins,
proof, per-resource diff) for the pull request. A failed promotion leaves the pins file and
clusters/ as they were. Pins already equal: nothing to do, exit 0.

Options:
  --from <stage>           the stage whose pins are promoted (required)
  --to <stage>             a later stage (required)
  --all                    promote every unit's pins instead of one unit's
  --out <file>             where the Markdown goes (default dist/promotion.md)
  --skip-stage "<reason>"  allow skipping a stage between <from> and <to> whose pins differ; the
                           reason is recorded in the Markdown
  --min-soak <duration>    refuse when a promoted pin has been on <from> for less than this (e.g.
                           24h, 2d), measured from git history (blame of the pins file)
  --help                   this text

Exit codes: 0 promoted (or nothing to promote), 1 refused or failed, 2 usage error.

Examples:
  npx flotilla promote dj-api --from dev --to staging
  npx flotilla promote --all --from staging --to prod --min-soak 24h`,
    async run(args, io) {
      const parsed = parseArgs(args, { command: 'promote', valueFlags: ['from', 'to', 'out', 'skip-stage', 'min-soak'], switchFlags: ['all'] });
      const releases = requireReleases(io, 'promote');
      const all = parsed.switches.has('all');
      if (all === (parsed.positionals.length === 1) || parsed.positionals.length > 1) {
        throw new UsageError(`give one unit or --all, e.g. 'flotilla promote dj-api --from dev --to staging'; got ${parsed.positionals.length ? `'${parsed.positionals.join(' ')}'` : 'none'}${all ? ' and --all' : ''}`);
      }
      const from = checkStage(releases, single(parsed.flags, 'from'), 'from');
      const to = checkStage(releases, single(parsed.flags, 'to'), 'to');
      const [fromIndex, toIndex] = [releases.stages.indexOf(from), releases.stages.indexOf(to)];
      if (fromIndex >= toIndex) {
        throw new UsageError(`--from ${from} --to ${to}: promotion goes forward (${releases.stages.join(' → ')}); to roll a stage back, use 'flotilla set-image' with the earlier digest`);
      }
      const skipReason = single(parsed.flags, 'skip-stage');
      if (skipReason !== undefined && skipReason.trim() === '') throw new UsageError('--skip-stage needs a reason, e.g. --skip-stage "hotfix for CVE-2026-1234, verified on dev"');
      const minSoak = single(parsed.flags, 'min-soak');
      const minSoakMs = minSoak === undefined ? undefined : parseSoak(minSoak);
      const out = single(parsed.flags, 'out') ?? 'dist/promotion.md';
      recoverFirst(io, 'flotilla promote');

      const pins = await readPins(io, releases);
      const units = all ? pins.units() : [parsed.positionals[0]];
      for (const unit of units) if (!pins.units().includes(unit)) throw new UsageError(`unit '${unit}' has no release pins in ${releases.file}; units with pins: ${pins.units().join(', ')}`);
      const moves: PinMove[] = units.flatMap((unit) =>
        pins.pinsOf(from, unit).map((source) => ({ source, target: pins.pinsOf(to, unit, source.kind).find((site) => site.pin === source.pin)! })),
      );
      const changed = moves.filter((move) => move.source.value !== move.target.value);
      const what = all ? 'every unit' : `'${units[0]}'`;
      if (changed.length === 0) {
        io.out(`nothing to promote: ${what} on ${to} already has ${from}'s pins (${moves.length} pin(s) equal); the pins file and clusters/ are unchanged\n`);
        return 0;
      }

      // A release reaches a stage only through the stages before it.
      const skipped = releases.stages.slice(fromIndex + 1, toIndex).flatMap((stage) =>
        changed
          .filter((move) => pins.pinsOf(stage, move.source.unit, move.source.kind).find((site) => site.pin === move.source.pin)?.value !== move.source.value)
          .map((move) => `${stage}.${move.source.unit}.${move.source.pin}`),
      );
      if (skipped.length > 0 && skipReason === undefined) {
        io.err(
          `flotilla promote: refusing to skip ${releases.stages.slice(fromIndex + 1, toIndex).join(', ')}: ${skipped.join(', ')} ${skipped.length === 1 ? 'differs' : 'differ'} from ${from} (${releases.file}); ` +
            `promote through it first (flotilla promote ${all ? '--all' : units[0]} --from ${from} --to ${releases.stages[fromIndex + 1]}), or pass --skip-stage "<reason>"\n`,
        );
        return 1;
      }

      const soakLines: string[] = [];
      if (minSoakMs !== undefined) {
        const now = (deps.now ?? (() => new Date()))();
        const young: string[] = [];
        for (const move of changed) {
          const since = await committedAt(io.cwd, releases.file, move.source.line);
          const age = since ? now.getTime() - since.getTime() : 0;
          const label = `${from}.${move.source.unit}.${move.source.pin} (${releases.file}:${move.source.line})`;
          soakLines.push(`${label}: on ${from} for ${since ? `${formatSoak(age)} (since ${since.toISOString()})` : '0m (not committed)'}`);
          if (age < minSoakMs) young.push(`${label} has been on ${from} for ${since ? `${formatSoak(age)}, since ${since.toISOString()}` : '0m: it is not committed yet'}`);
        }
        if (young.length > 0) {
          io.err(`flotilla promote: refusing: --min-soak ${minSoak} is not met: ${young.join('; ')}; promote later, or without --min-soak if the soak is waived\n`);
          return 1;
        }
      }

      const fleet = await requireHost(io, 'promote').loadFleet();
      const targets = clustersOfStage(fleet.clusters, to);
      const imageMoves = changed.filter((move) => move.source.kind === 'image');
      const images = new Map(targets.map((cluster) => [cluster.name, new Map(imageMoves.map((move) => [imageOnCluster(cluster, move.target.value), imageOnCluster(cluster, move.source.value)]))]));
      const chartMoves: ChartMove[] = changed
        .filter((move) => move.source.kind === 'chart')
        .map((move) => ({ unit: move.source.unit, release: move.source.pin, from: parseChartPin(move.target.value), to: parseChartPin(move.source.value) }));
      const charts = new Map(targets.map((cluster) => [cluster.name, chartMoves]));
      const base = await committedRender(io.cwd);
      const result = await applyPins(io, releases, pins.text, pins.withValues(changed.map((move) => ({ site: move.target, value: move.source.value }))), deps);
      if (result.code !== 0) {
        io.err(`flotilla promote: the render with ${from}'s pins failed, so the pins file and clusters/ were left as they were:\n${result.output}\n`);
        return 1;
      }
      const head = await loadRenderedTree(io.cwd);
      const diff = diffRenders(base, head);
      const proof = provePromotion(diff, images, charts);
      const guard = guardDiff(diff);
      if (proof.unexplained.length > 0 || guard.failures.length > 0) {
        await writePins(io, releases, pins.text);
        const restored = await (deps.render ?? renderFleet)(io.cwd);
        const lines = [
          ...(proof.unexplained.length > 0
            ? [`flotilla promote: ${proof.unexplained.length} change(s) in the render do not derive from a promoted pin (compared with the committed render at HEAD; commit or undo unrelated changes first):`, ...proof.unexplained.map((u) => `  ${u.cluster}: ${u.object} (${u.file}): ${u.field}: ${u.reason}`)]
            : []),
          ...(guard.failures.length > 0 ? [`flotilla promote: destructive-change guard failed on the target: ${guard.failures.length} blocking change(s)`, ...guard.failures.map((entry) => `  ${formatGuardEntry(entry)}`)] : []),
          restored.code === 0 ? 'the pins file and clusters/ were restored' : `the pins file was restored, but re-rendering clusters/ failed; run 'npm run synth':\n${restored.output}`,
        ];
        io.err(`${lines.join('\n')}\n`);
        return 1;
      }

      const markdown = promotionMarkdown({ from, to, file: releases.file, changed, skipped, skipReason, soakLines, minSoak, proofFields: proof.explained, diffMarkdown: renderDiffMarkdown(diff, guard, { title: `Flotilla render diff: \`HEAD\` → promotion ${from} → ${to}`, notes: ['Base is the committed `clusters/` at `HEAD`; head is the render with the promoted pins.'] }) });
      const target = path.resolve(io.invocationDir ?? io.cwd, out);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(`${target}.tmp`, markdown);
      await rename(`${target}.tmp`, target);
      const totals = diff.totals;
      io.out(
        `promoted ${changed.length} pin(s) of ${what} from ${from} to ${to} in ${releases.file}: ${changed.map((move) => `${move.source.unit}.${move.source.pin}`).join(', ')}\n` +
          `proof: ${proof.explained} image or chart version field(s) changed, each set from a promoted pin; nothing else changed (${isUnchanged(diff) ? 'no' : totals.changed} object(s) changed)\n` +
          `guard: passed\nwrote ${path.relative(io.cwd, target)}\n`,
      );
      return 0;
    },
  };
}

export const promoteCommand: Command = createPromoteCommand();

/** The committed `clusters/` at HEAD: what the promotion's render is compared with. */
async function committedRender(repoRoot: string): Promise<RenderedObject[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flotilla-promote-'));
  try {
    let archive: Buffer;
    try {
      archive = execFileSync('git', ['archive', '--format=tar', 'HEAD', 'clusters'], { cwd: repoRoot, maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      throw new UsageError(`promote compares with the committed render, but 'git archive HEAD clusters' failed in ${repoRoot} (${(error as Error).message.split('\n')[0]}); commit clusters/ first`, 1);
    }
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    return await loadRenderedTree(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface MarkdownInput {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly changed: readonly PinMove[];
  readonly skipped: readonly string[];
  readonly skipReason?: string;
  readonly soakLines: readonly string[];
  readonly minSoak?: string;
  readonly proofFields: number;
  readonly diffMarkdown: string;
}

function promotionMarkdown(input: MarkdownInput): string {
  const lines = [
    `## Promotion ${input.from} → ${input.to}`,
    '',
    `Pins copied in \`${input.file}\`:`,
    '',
    `| Unit | Pin | Kind | ${input.to} before | ${input.to} now (from ${input.from}) |`,
    '| --- | --- | --- | --- | --- |',
    ...input.changed.map((move) => `| ${move.source.unit} | ${move.source.pin} | ${move.source.kind} | \`${move.target.value}\` | \`${move.source.value}\` |`),
    '',
    `**Proof:** ${input.proofFields} image or chart version field(s) changed in the render, each set from a promoted pin; no other field, object or cluster changed.`,
  ];
  if (input.skipped.length > 0) lines.push('', `**Skipped stage:** ${input.skipped.join(', ')} differ(s) from ${input.from}. Reason: ${input.skipReason}`);
  if (input.minSoak) lines.push('', `**Soak (minimum ${input.minSoak}):**`, '', ...input.soakLines.map((line) => `- ${line}`));
  lines.push('', input.diffMarkdown.trimEnd(), '');
  return lines.join('\n');
}
