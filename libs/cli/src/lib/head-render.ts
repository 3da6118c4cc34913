import { CLUSTERS_DIR } from '@flotilla/config';
import { describeProblems, findProjectRoots, synth } from '@flotilla/core';
import type { RenderDrift } from '@flotilla/diff';
import { requireHost, type CommandIO } from './command';

/** The head of a diff: the working tree's source rendered in memory, and how `clusters/` differs from it. */
export interface HeadRender {
  /** Repo-relative path under `clusters/` → the text synth would write. */
  readonly files: ReadonlyMap<string, string>;
  /** The working tree's `clusters/` (synth's own files) against this render. */
  readonly drift: RenderDrift;
}

/**
 * Renders the fleet the composition root hands the engine, as `flotilla synth --check` does (under the
 * synth lock, so never a tree mid-write) but without its checks: `validate` reports those, and a diff
 * should show a change even while it has findings. Nothing is written.
 *
 * @throws SynthError when a chart fails to render
 */
export async function renderHead(io: CommandIO, command: string): Promise<HeadRender> {
  const host = requireHost(io, command);
  const fleet = await host.loadFleet();
  const result = synth({
    repoRoot: io.cwd,
    fleet,
    check: true,
    checks: [],
    projectRoots: findProjectRoots(io.cwd),
    fleetSource: host.fleetSource,
    workspace: { policiesDir: host.policiesDir },
    command: `flotilla ${command}`,
    keepFiles: true,
    notice: (message) => io.err(`flotilla ${command}: ${message}\n`),
  });
  const files = new Map([...result.files!].filter(([file]) => file.startsWith(`${CLUSTERS_DIR}/`)));
  const { drift } = result;
  return {
    files,
    drift: { missing: drift.missing, changed: drift.changed, stale: drift.stale, problems: describeProblems(drift) },
  };
}
