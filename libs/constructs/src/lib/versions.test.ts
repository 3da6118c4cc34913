import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACK_SERVICES, CROSSPLANE_PACKAGES, GATEWAY_API, VERSIONS, ackChart, type AddonVersion } from './versions';
import { findRepoRoot } from '@flotilla/model';

const repoRoot = () => findRepoRoot(__dirname);

const sourcesFile = resolve(repoRoot(), 'libs/upstream/sources.json');

/** Source id in libs/upstream/sources.json → pinned version without `v`. */
function pinnedCrdVersions(): Map<string, string> {
  const { sources } = JSON.parse(readFileSync(sourcesFile, 'utf8')) as { sources: { id: string; version: string }[] };
  return new Map(sources.map((source) => [source.id, source.version.replace(/^v/, '')]));
}

describe('version catalog against the pinned upstream CRDs (libs/upstream/sources.json)', () => {
  const pinned = pinnedCrdVersions();

  it.each([
    ['external-secrets', VERSIONS.externalSecrets],
    ['karpenter', VERSIONS.karpenter],
    ['gatekeeper', VERSIONS.gatekeeper],
    ['crossplane', VERSIONS.crossplane],
    ['secrets-store-csi', VERSIONS.secretsStoreCsi],
  ] as [string, AddonVersion][])('pins %s to the CRD version the schemas come from', (folder, addon) => {
    expect(addon.provenance).toBe('crds-sources');
    expect(addon.source.version).toBe(pinned.get(folder));
  });

  it.each(ACK_SERVICES)('pins the ACK %s controller chart to its CRD version', (service) => {
    expect(ackChart(service).source).toEqual({
      type: 'oci',
      url: `oci://public.ecr.aws/aws-controllers-k8s/${service}-chart`,
      version: pinned.get(`ack-${service}`),
    });
  });

  it('pins the Crossplane AWS IAM provider package and Gateway API to their CRD versions', () => {
    expect(CROSSPLANE_PACKAGES.providerAwsIam.version).toBe(`v${pinned.get('crossplane-provider-aws')}`);
    expect(GATEWAY_API.tag).toBe(`v${pinned.get('gateway-api')}`);
  });

  it('pins the Crossplane AWS Signer provider and Ratify (app version of the chart) to their CRD versions', () => {
    expect(CROSSPLANE_PACKAGES.providerAwsSigner.version).toBe(`v${pinned.get('crossplane-provider-aws')}`);
    expect(VERSIONS.ratify.provenance).toBe('crds-sources');
    expect(VERSIONS.ratify.appVersion).toBe(`v${pinned.get('ratify')}`);
  });

  it('pins Gateway API to the commit its tag had when the CRDs were vendored (Flux checks out the commit, not the movable tag)', () => {
    const { sources } = JSON.parse(readFileSync(sourcesFile, 'utf8')) as { sources: { id: string; ref: string; commit: string }[] };
    const gatewayApi = sources.find((source) => source.id === 'gateway-api')!;
    expect(gatewayApi.ref).toBe(GATEWAY_API.tag);
    expect(GATEWAY_API.commit).toBe(gatewayApi.commit);
  });
});

describe('version catalog', () => {
  it('says why for every version chosen here rather than taken from the CRD sources', () => {
    for (const [name, addon] of Object.entries(VERSIONS) as [string, AddonVersion][]) {
      if (addon.provenance === 'chosen') expect(addon.note, name).toMatch(/\w{10,}/);
    }
  });

  it('uses exact versions, never ranges', () => {
    // Exact semver; a leading v only where the chart repository publishes it so (cert-manager: v1.21.1).
    for (const addon of Object.values(VERSIONS) as AddonVersion[]) expect(addon.source.version).toMatch(/^v?\d+\.\d+\.\d+$/);
  });
});

/** Chart name → vendored values schema versions, from libs/upstream/sources.json (kind helm-chart). */
function vendoredChartValues(): Map<string, string[]> {
  const { sources } = JSON.parse(readFileSync(sourcesFile, 'utf8')) as { sources: { kind: string; chart?: { name: string; version: string } }[] };
  const out = new Map<string, string[]>();
  for (const { kind, chart } of sources) if (kind === 'helm-chart' && chart) out.set(chart.name, [...(out.get(chart.name) ?? []), chart.version]);
  return out;
}

/** The chart name Helm knows: the repository chart, or the last segment of the OCI URL. */
const chartName = (addon: AddonVersion) => (addon.source.type === 'helm' ? addon.source.chart : addon.source.url.split('/').pop()!);

describe('version catalog against the vendored chart values schemas (libs/upstream/charts)', () => {
  const vendored = vendoredChartValues();
  const pins = [...Object.entries(VERSIONS), ...ACK_SERVICES.map((service) => [`ackChart('${service}')`, ackChart(service)])] as [string, AddonVersion][];

  it.each(pins)('%s: a vendored schema at exactly the pinned version, or evidence that this version ships none', (name, addon) => {
    const chart = chartName(addon);
    // Schemas are vendored under the bare semver; a chart repository may publish it with a v (cert-manager).
    const version = addon.source.version.replace(/^v/, '');
    if (addon.valuesSchema === 'vendored') {
      expect(vendored.get(chart), `${name}: chart ${chart} ${version} is marked vendored but libs/upstream has ${vendored.get(chart)?.join(', ') ?? 'no schema'}; run nx run upstream:refresh -- --family <its chart-* source> --version ${version}`).toEqual([version]);
    } else {
      expect(vendored.get(chart), `${name}: libs/upstream vendors a values schema of ${chart}; mark it valuesSchema: 'vendored'`).toBeUndefined();
      expect(
        addon.valuesSchema.absentAt,
        `${name} moved to ${version}: check whether chart ${chart} ${version} ships values.schema.json; if it does, add a helm-chart source to libs/upstream/sources.json and run nx run upstream:refresh, else update absentAt and the evidence`,
      ).toBe(version);
      expect(addon.valuesSchema.evidence, name).toMatch(/values\.schema\.json/);
    }
  });

  it('has no vendored chart schema that no pin uses', () => {
    const pinned = new Set(pins.map(([, addon]) => `${chartName(addon)}@${addon.source.version.replace(/^v/, '')}`));
    for (const [chart, versions] of vendored) for (const version of versions) expect(pinned, `${chart}@${version}`).toContain(`${chart}@${version}`);
  });
});
