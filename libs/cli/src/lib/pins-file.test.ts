import { describe, expect, it } from 'vitest';
import { UsageError } from './command';
import { PinsFile } from './pins-file';

const D1 = '1'.repeat(64);
const D2 = '2'.repeat(64);
const SOURCE = `import { defineReleases } from '@flotilla/config';
// a comment that must survive
export const releases = defineReleases(stages, {
  dev: { 'dj-api': { v1: 'dj/echo:1@sha256:${D1}', v2: "dj/echo:2@sha256:${D2}" } },
  prod: { 'dj-api': { v1: 'dj/echo:1@sha256:${D1}', v2: 'dj/echo:1@sha256:${D1}' } },
});
`;

describe('the release pins file', () => {
  it('reads every pin with its stage, unit, pin name, value and line', async () => {
    const pins = await PinsFile.parse('releases.ts', SOURCE);
    expect(pins.stages()).toEqual(['dev', 'prod']);
    expect(pins.units()).toEqual(['dj-api']);
    expect(pins.pinsOf('dev', 'dj-api').map(({ pin, value, line }) => ({ pin, value, line }))).toEqual([
      { pin: 'v1', value: `dj/echo:1@sha256:${D1}`, line: 4 },
      { pin: 'v2', value: `dj/echo:2@sha256:${D2}`, line: 4 },
    ]);
  });

  it('replaces only the edited literals, keeping quotes, comments and formatting', async () => {
    const pins = await PinsFile.parse('releases.ts', SOURCE);
    const [devV2] = pins.pinsOf('dev', 'dj-api').filter((site) => site.pin === 'v2');
    const [prodV2] = pins.pinsOf('prod', 'dj-api').filter((site) => site.pin === 'v2');
    const text = pins.withValues([{ site: prodV2!, value: devV2!.value }, { site: devV2!, value: `dj/echo:3@sha256:${D1}` }]);
    expect(text).toBe(
      SOURCE.replace(`v2: "dj/echo:2@sha256:${D2}"`, `v2: "dj/echo:3@sha256:${D1}"`).replace(`v2: 'dj/echo:1@sha256:${D1}' } },\n});`, `v2: 'dj/echo:2@sha256:${D2}' } },\n});`),
    );
  });

  it('refuses a pin that is not a string literal, naming the line', async () => {
    const computed = SOURCE.replace(`v1: 'dj/echo:1@sha256:${D1}', v2: "`, 'v1: base + tag, v2: "');
    await expect(PinsFile.parse('releases.ts', computed)).rejects.toThrow(UsageError);
    await expect(PinsFile.parse('releases.ts', computed)).rejects.toThrow(/^releases\.ts:4: expected '<pin>: '<image>@sha256:…'' \(a string literal\)/);
  });

  it('reads the chart pins of defineChartReleases as their own kind, so set-image never edits them', async () => {
    const source = `${SOURCE}export const chartReleases = defineChartReleases(stages, {
  dev: { karpenter: { karpenter: '1.14.2' } },
  prod: { karpenter: { karpenter: '1.14.1' } },
});
`;
    const pins = await PinsFile.parse('releases.ts', source);
    expect(pins.units()).toEqual(['dj-api', 'karpenter']);
    expect(pins.units('image')).toEqual(['dj-api']);
    expect(pins.units('chart')).toEqual(['karpenter']);
    expect(pins.pinsOf('dev', 'karpenter').map(({ kind, pin, value, line }) => ({ kind, pin, value, line }))).toEqual([{ kind: 'chart', pin: 'karpenter', value: '1.14.2', line: 8 }]);
    const bad = source.replace("karpenter: { karpenter: '1.14.2' }", 'karpenter: { karpenter: VERSION }');
    await expect(PinsFile.parse('releases.ts', bad)).rejects.toThrow(/^releases\.ts:8: expected '<release>: '<version>'' \(a string literal\)/);
  });
});
