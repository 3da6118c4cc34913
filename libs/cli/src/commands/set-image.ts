import { digestPinProblem } from '@flotilla/config';
import { parseArgs } from '../lib/args';
import { UsageError, requireHost, type Command, type CommandIO } from '../lib/command';
import type { PinsFile, PinSite } from '../lib/pins-file';
import { recoverFirst } from '../lib/recover-first';
import { checkStage, clustersOfStage, currentRender, imageOnCluster, readPins, registryProblem, renderFleet, requireReleases, single, writePins, type RenderResult } from '../lib/releases';

/** What `set-image` and `promote` need from the outside world; tests may replace the render. */
export interface ReleaseDependencies {
  /** Renders the fleet after the pins file changed. @default renderFleet (the fleet's synth in a child process) */
  readonly render?: (repoRoot: string) => Promise<RenderResult>;
}

/** The pin of `unit` on `stage` that `--pin` (or the unit's only pin) names. */
export function pinSite(pins: PinsFile, stage: string, unit: string, pin: string | undefined): PinSite {
  if (!pins.units('image').includes(unit)) {
    const chart = pins.units('chart').includes(unit) ? ` ('${unit}' pins a chart version: change it in ${pins.file}, then 'flotilla promote')` : '';
    throw new UsageError(`unit '${unit}' has no image pins in ${pins.file}${chart}; units with image pins: ${pins.units('image').join(', ')}`);
  }
  const sites = pins.pinsOf(stage, unit, 'image');
  if (pin === undefined) {
    if (sites.length === 1) return sites[0];
    throw new UsageError(`unit '${unit}' has ${sites.length} pins on ${stage} (${sites.map((site) => site.pin).join(', ')}); choose one with --pin <name>`);
  }
  const site = sites.find((candidate) => candidate.pin === pin);
  if (!site) throw new UsageError(`unit '${unit}' has no pin '${pin}' on ${stage}; its pins are ${sites.map((candidate) => candidate.pin).join(', ')}`);
  return site;
}

/** Writes `text` as the pins file and renders; puts the old file back when the render fails (synth wrote nothing then). */
export async function applyPins(io: CommandIO, file: { stages: readonly string[]; file: string }, before: string, text: string, deps: ReleaseDependencies): Promise<RenderResult> {
  const render = deps.render ?? renderFleet;
  await writePins(io, file, text);
  const result = await render(io.cwd);
  if (result.code !== 0) {
    await writePins(io, file, before);
  }
  return result;
}

export function createSetImageCommand(deps: ReleaseDependencies = {}): Command {
  return {
    name: 'set-image',
    summary: "update one workload's image pin on one stage (the release pins file), then render",
    help: `Usage: flotilla set-image <unit> --stage <stage> --image <ref@sha256:…> [--pin <name>]

Sets the release pin of <unit> on <stage> in the fleet's release pins file (edited with the
TypeScript compiler API; the rest of the file stays byte for byte), then renders clusters/.
The image must be pinned by digest ([registry/]repository[:tag]@sha256:<64 hex digits>; without a
registry host it is in the cluster's own ECR registry) and allowed by every cluster of the stage
(its FlotillaAllowedRepos constraint, typed as allowedRepositories). When the render fails, the
pins file and clusters/ are left as they were.

Options:
  --stage <stage>    the stage whose pin changes (required), e.g. dev
  --image <ref>      the new image, by digest (required)
  --pin <name>       which of the unit's pins (required when it has several, e.g. dj-api's v1 and v2)
  --help             this text

Exit codes: 0 set (or already set), 1 rejected image or failed render, 2 usage error.

Examples:
  npx flotilla set-image dj-api --pin v2 --stage dev --image dj/http-echo:1.2.0@sha256:6f3b…42ea`,
    async run(args, io) {
      const parsed = parseArgs(args, { command: 'set-image', valueFlags: ['stage', 'image', 'pin'] });
      const releases = requireReleases(io, 'set-image');
      if (parsed.positionals.length !== 1) throw new UsageError(`give exactly one unit, e.g. 'flotilla set-image dj-api --stage dev --image <ref@sha256:…>'; got ${parsed.positionals.length === 0 ? 'none' : `'${parsed.positionals.join(' ')}'`}`);
      const unit = parsed.positionals[0];
      const stage = checkStage(releases, single(parsed.flags, 'stage'), 'stage');
      const image = single(parsed.flags, 'image');
      if (!image) throw new UsageError("--image is required: the new image by digest, e.g. 'dj/http-echo:1.2.0@sha256:<64 hex digits>'");
      recoverFirst(io, 'flotilla set-image');
      const pins = await readPins(io, releases);
      const site = pinSite(pins, stage, unit, single(parsed.flags, 'pin'));
      const where = `${releases.file}:${site.line} (${stage}.${unit}.${site.pin})`;
      const digest = digestPinProblem(image);
      if (digest) throw new UsageError(`${where}: ${digest}`, 1);
      const fleet = await requireHost(io, 'set-image').loadFleet();
      const clusters = clustersOfStage(fleet.clusters, stage);
      const rendered = await currentRender(io);
      const problems = clusters.map((cluster) => registryProblem(rendered, cluster, imageOnCluster(cluster, image))).filter((problem): problem is string => problem !== undefined);
      if (problems.length > 0) throw new UsageError(`${where}: ${problems.join('; ')}`, 1);
      if (site.value === image) {
        io.out(`${where} is already ${image}; nothing to do\n`);
        return 0;
      }
      const result = await applyPins(io, releases, pins.text, pins.withValues([{ site, value: image }]), deps);
      if (result.code !== 0) {
        io.err(`${where}: the render with ${image} failed, so the pin and clusters/ were left as they were:\n${result.output}\n`);
        return 1;
      }
      io.out(`${where}: ${site.value} → ${image}\n${result.output}\n`);
      return 0;
    },
  };
}

export const setImageCommand: Command = createSetImageCommand();
