import { describe, expect, it } from 'vitest';
import { judgeFleetScale, renderFleetScaleSection, renderFleetScaleSvg, type FleetScaleResult, type LoadedSample } from './fleet-scale';

// The report and chart of `npm run bench:fleet-scale` from given figures (the measurement itself is
// the benchmark's; this keeps its judging and rendering honest without timing anything).
const sample = (seconds: number, peakMiB: number): LoadedSample => ({ seconds, cpuSeconds: seconds * 0.9, peakMiB, load: 2 });
const result = (perObject100: number, peak100: number): FleetScaleResult => ({
  commit: 'abc1234',
  startedAt: '2026-12-04T23:00:00.000Z',
  cores: 2,
  memoryGiB: 8,
  rows: [
    { clusters: 10, apps: 100, objects: 10_000, baselineObjects: 7_000, flotilla: [sample(10, 200)], cdk8s: [sample(40, 900)] },
    { clusters: 30, apps: 100, objects: 30_000, baselineObjects: 21_000, flotilla: [sample(30, 210)], cdk8s: [sample(100, 1500)] },
    { clusters: 100, apps: 100, objects: 100_000, flotilla: [sample(perObject100 * 100_000, peak100)], cdk8s: [] },
  ],
});

describe('bench:fleet-scale report', () => {
  it('judges the three targets on the figures: memory at the largest fleet, growth per object, paired cdk8s ratio', () => {
    const met = judgeFleetScale(result(0.001, 250));
    expect(met.map((target) => target.met)).toEqual([true, true, true]);
    expect(met[1]!.value).toBe('1000 → 1000 µs/object (+0 %)');
    expect(met[2]!.value).toBe('4.0× at 10, 3.3× at 30');
    const missed = judgeFleetScale(result(0.0013, 700));
    expect(missed.map((target) => target.met)).toEqual([false, false, true]);
    expect(missed[0]!.value).toBe('700 MiB');
  });

  it('writes the rows, the targets marked met or missed, the chart link and the embedded figures', () => {
    const section = renderFleetScaleSection(result(0.0013, 700), { svg: 'fleet-scale.svg', analysis: 'Reading.', command: 'npm run bench:fleet-scale' });
    expect(section).toMatch(/^<!-- fleet-scale:begin -->\n## Fleet scale/);
    expect(section).toContain('![Wall time and peak RSS against cluster count, Flotilla and cdk8s synth](fleet-scale.svg)');
    expect(section).toContain('| 100 | 100,000 | 130.0 | 117.0 | 700 | 1300 / 1170 | – | – | – | not run | 2.0 |');
    expect(section).toContain('| peak RSS at 100 clusters: ≤ 600 MiB | 700 MiB | **missed** |');
    expect(JSON.parse(/<!-- fleet-scale-result: (.*) -->/.exec(section)![1]!)).toEqual(result(0.0013, 700));
  });

  it('draws both panels with a line per measured series and the 600 MiB target', () => {
    const svg = renderFleetScaleSvg(result(0.001, 250));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // Two panels × (synth over 3 counts, cdk8s over 2).
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg.match(/<circle /g)).toHaveLength(10);
    expect(svg).toContain('target 600 MiB');
    expect(renderFleetScaleSvg(result(0.001, 250))).toBe(svg);
  });
});
