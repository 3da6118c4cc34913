import { App, Chart } from 'cdk8s';
import { CHART_PINS_CONTEXT, FLUX_SETTINGS_CONTEXT, resolveFluxSettings, type ChartPinsContext, type ClusterConfig, type Unit, type WorkspaceInputs } from '@flotilla/config';
import type { KubeObject } from '@flotilla/model';
import { callerFrame, formatFrame, sourceFrames, userFrame } from './source-frames';
import { SynthError } from './synth-error';

/**
 * Renders one unit for one cluster into plain objects.
 *
 * Each unit gets its own cdk8s App: one App holding hundreds of charts re-resolves the whole App
 * per chart and grows quadratically (see docs/benchmarks.md).
 */
export function renderUnit(unit: Unit, cluster: ClusterConfig, workspace?: WorkspaceInputs): KubeObject[] {
  const where = `cluster '${cluster.name}', unit '${unit.name}' (project ${unit.project})`;
  let chart: Chart;
  try {
    const app = new App({ outdir: 'dist/cdk8s-unused' });
    chart = new Chart(app, unit.name, { disableResourceNameHashes: true });
    // Constructs that render Flux objects (HelmAddon) read the unit's Flux settings from here.
    chart.node.setContext(FLUX_SETTINGS_CONTEXT, resolveFluxSettings(cluster.flux, unit.flux));
    // HelmAddon takes its chart version from the stage's pins (releases.ts) when the fleet declares them.
    if (cluster.release?.charts) {
      const pins: ChartPinsContext = { stage: cluster.release.stage, unit: unit.name, pins: cluster.release.charts[unit.name] };
      chart.node.setContext(CHART_PINS_CONTEXT, pins);
    }
    unit.render(chart, { cluster, workspace });
  } catch (error) {
    throw new SynthError('synth/unit-failed', `${where} failed to render: ${messageOf(error)}${whereCreated(unit)}${whereThrown(error)}`);
  }
  const problems = chart.node
    .findAll()
    .flatMap((construct) => construct.node.validate().map((message) => `[${construct.node.path}] ${message}`));
  if (problems.length > 0) {
    throw new SynthError('synth/unit-invalid', `${where} is invalid:\n  ${problems.join('\n  ')}${whereCreated(unit)}`);
  }
  try {
    return chart.toJson() as KubeObject[];
  } catch (error) {
    throw new SynthError('synth/unit-failed', `${where} failed to resolve: ${messageOf(error)}${whereCreated(unit)}`);
  }
}

/**
 * The fleet config line whose factory call created the unit (captured by the factory, mapped back
 * to TypeScript); empty when the factory did not record it or the stack names no source of ours.
 */
function whereCreated(unit: Unit): string {
  const caller = unit.createdAt ? callerFrame(sourceFrames(unit.createdAt.trace, process.cwd())) : undefined;
  return caller ? `\n  created at ${formatFrame(caller)} (the fleet config that created the unit)` : '';
}

/**
 * Where the failure is in the user's code (the unit library or fleet line that passed the value)
 * and where it was thrown, mapped back to TypeScript; empty when the stack names no source of ours.
 */
function whereThrown(error: unknown): string {
  const frames = sourceFrames(error, process.cwd());
  const user = userFrame(frames);
  const lines: string[] = [];
  if (user) lines.push(`\n  at ${formatFrame(user)} (the code that passed the value)`);
  if (frames[0] && frames[0] !== user) lines.push(`\n  thrown at ${formatFrame(frames[0])}`);
  return lines.join('');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
