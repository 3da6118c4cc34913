import { describe, expect, it } from 'vitest';
import { type ClusterConfig, Duration, type Unit } from '@flotilla/config';
import { renderUnit } from '@flotilla/core';
import { fixtureCluster } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import { INSTALLS_CRDS_ANNOTATION, RUNTIME_POD_NAMESPACES_ANNOTATION } from '@flotilla/model';
import { HelmAddon, type HelmAddonProps } from './helm-addon';
import { VERSIONS, ackChart, type AddonVersion } from './versions';

/** A chart from a classic (HTTPS) Helm repository: the external-secrets chart as charts.external-secrets.io serves it. */
const HTTPS_CHART: AddonVersion = {
  source: { type: 'helm', url: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '2.9.0' },
  valuesSchema: 'vendored',
  provenance: 'crds-sources',
};
const DIGEST = `sha256:${'ab'.repeat(32)}`;

interface DemoValues {
  readonly replicaCount: number;
  readonly log?: { readonly level: 'info' | 'debug' };
  readonly extraArgs?: readonly string[];
}

function render(props: Partial<HelmAddonProps<DemoValues>> = {}, cluster: Partial<ClusterConfig> = {}, unitFlux: Unit['flux'] = undefined): KubeObject[] {
  const unit: Unit = {
    name: 'demo',
    project: 'demo',
    layer: 'infra-controllers',
    ...(unitFlux ? { flux: unitFlux } : {}),
    render: (scope) =>
      new HelmAddon<DemoValues>(scope, 'Addon', {
        name: 'external-secrets',
        namespace: 'external-secrets',
        chart: HTTPS_CHART,
        values: { replicaCount: 2, log: undefined },
        installsCrds: ['external-secrets.io', 'generators.external-secrets.io'],
        ...props,
      }),
  };
  return renderUnit(unit, fixtureCluster('dev', [], cluster));
}

const byKind = (objects: KubeObject[], kind: string) => objects.filter((object) => object.kind === kind);

describe('HelmAddon', () => {
  it('renders a HelmRepository source, the Namespace and a HelmRelease pinned to the catalog version', () => {
    // GIVEN a chart from a classic Helm repository
    // WHEN
    const objects = render();
    // THEN
    expect(objects.map((object) => object.kind).sort()).toEqual(['HelmRelease', 'HelmRepository', 'Namespace']);
    const [repository] = byKind(objects, 'HelmRepository');
    expect(repository.apiVersion).toBe('source.toolkit.fluxcd.io/v1');
    expect(repository.metadata).toEqual({ name: 'external-secrets', namespace: 'external-secrets' });
    expect(repository.spec).toEqual({ interval: '1h', url: 'https://charts.external-secrets.io' });
    const [release] = byKind(objects, 'HelmRelease');
    expect(release.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    const spec = release.spec as Record<string, unknown>;
    expect(spec.chart).toEqual({
      spec: {
        chart: 'external-secrets',
        version: '2.9.0',
        interval: '1h',
        sourceRef: { kind: 'HelmRepository', name: 'external-secrets', namespace: 'external-secrets' },
      },
    });
    expect(spec.releaseName).toBe('external-secrets');
    expect(spec.timeout).toBe('10m');
  });

  it('enables drift detection and reconciles every 10 minutes by default, so a kubectl edit is reverted within 10 minutes', () => {
    const spec = byKind(render(), 'HelmRelease')[0].spec as Record<string, unknown>;
    expect(spec.driftDetection).toEqual({ mode: 'enabled' });
    expect(spec.interval).toBe('10m');
  });

  it('takes drift detection and the release interval from the cluster, the unit overriding the cluster and the prop overriding both', () => {
    const cluster = { flux: { interval: Duration.minutes(5), helmDriftDetection: 'warn' as const } };
    const fromCluster = byKind(render({}, cluster), 'HelmRelease')[0].spec as Record<string, unknown>;
    expect(fromCluster).toMatchObject({ driftDetection: { mode: 'warn' }, interval: '5m' });
    // The chart source keeps polling hourly: the pinned chart does not change between commits.
    expect(byKind(render({}, cluster), 'HelmRepository')[0].spec).toMatchObject({ interval: '1h' });
    const fromUnit = byKind(render({}, cluster, { helmDriftDetection: 'disabled' }), 'HelmRelease')[0].spec as Record<string, unknown>;
    expect(fromUnit.driftDetection).toEqual({ mode: 'disabled' });
    const fromProp = byKind(render({ driftDetection: 'enabled' }, cluster, { helmDriftDetection: 'disabled' }), 'HelmRelease')[0].spec as Record<string, unknown>;
    expect(fromProp.driftDetection).toEqual({ mode: 'enabled' });
  });

  it('fails on an unknown drift detection mode, naming the modes', () => {
    expect(() => render({ driftDetection: 'on' as never })).toThrow(/driftDetection is 'on'; use 'enabled', 'warn' or 'disabled'/);
  });

  it('sets deliberate remediation: retried installs, retried upgrades that roll back after the last failure', () => {
    const spec = byKind(render(), 'HelmRelease')[0].spec as Record<string, unknown>;
    expect(spec.install).toEqual({ crds: 'Create', strategy: { name: 'RemediateOnFailure' }, remediation: { retries: 3 } });
    expect(spec.upgrade).toEqual({
      crds: 'CreateReplace',
      cleanupOnFail: true,
      strategy: { name: 'RemediateOnFailure' },
      remediation: { retries: 3, remediateLastFailure: true, strategy: 'rollback' },
    });
    expect(spec.rollback).toEqual({ cleanupOnFail: true });
  });

  it('declares the CRD groups it installs in the installs-crds annotation, sorted', () => {
    const release = byKind(render({ installsCrds: ['generators.external-secrets.io', 'external-secrets.io'] }), 'HelmRelease')[0];
    expect(release.metadata.annotations).toEqual({ [INSTALLS_CRDS_ANNOTATION]: 'external-secrets.io,generators.external-secrets.io' });
  });

  it('declares the namespaces its controller creates pods in, sorted, for the controller-pods policy test', () => {
    const release = byKind(render({ installsCrds: [], runtimePodNamespaces: ['mount-s3', 'jobs'] }), 'HelmRelease')[0];
    expect(release.metadata.annotations).toEqual({ [RUNTIME_POD_NAMESPACES_ANNOTATION]: 'jobs,mount-s3' });
    expect(() => render({ runtimePodNamespaces: ['external-secrets'] })).toThrow(
      "HelmAddon 'external-secrets': runtimePodNamespaces entry 'external-secrets' must be a namespace name other than the release's own ('external-secrets')",
    );
  });

  it('skips CRDs and omits the annotation when the release installs none', () => {
    const release = byKind(render({ installsCrds: [] }), 'HelmRelease')[0];
    const spec = release.spec as { install: { crds: string }; upgrade: { crds: string } };
    expect(release.metadata.annotations).toBeUndefined();
    expect(spec.install.crds).toBe('Skip');
    expect(spec.upgrade.crds).toBe('Skip');
  });

  it('pulls OCI charts through an OCIRepository and a chartRef', () => {
    const objects = render({ name: 'ack-iam', namespace: 'ack-system', chart: ackChart('iam'), installsCrds: ['iam.services.k8s.aws'] });
    const [source] = byKind(objects, 'OCIRepository');
    expect(source.spec).toEqual({
      interval: '1h',
      url: 'oci://public.ecr.aws/aws-controllers-k8s/iam-chart',
      ref: { tag: '1.8.1' },
      layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
    });
    const spec = byKind(objects, 'HelmRelease')[0].spec as Record<string, unknown>;
    expect(spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'ack-iam', namespace: 'ack-system' });
    expect(spec.chart).toBeUndefined();
  });

  it('verifies a signed OCI chart with the publisher\'s keyless identity (spec.verify, no Secret)', () => {
    const objects = render({ name: 'karpenter', namespace: 'karpenter', chart: VERSIONS.karpenter, installsCrds: [] });
    expect(byKind(objects, 'OCIRepository')[0].spec).toMatchObject({
      ref: { tag: '1.14.1' },
      verify: {
        provider: 'cosign',
        matchOIDCIdentity: [{ issuer: VERSIONS.karpenter.source.verify.issuer, subject: VERSIONS.karpenter.source.verify.subject }],
      },
    });
    expect(JSON.stringify(objects)).not.toContain('secretRef');
  });

  describe('chart pins of the stage (releases.ts)', () => {
    const release = (pins: Record<string, string> | undefined): Partial<ClusterConfig> => ({
      release: { stage: 'staging', immutable: false, exceptions: [], charts: pins ? { demo: pins } : ({} as Record<string, Record<string, string>>) },
    });

    it('renders the stage\'s version instead of the catalog version, for HTTPS and OCI charts', () => {
      const https = byKind(render({}, release({ 'external-secrets': '2.10.0' })), 'HelmRelease')[0].spec as { chart: { spec: { version: string } } };
      expect(https.chart.spec.version).toBe('2.10.0');
      const oci = render({ name: 'ack-iam', namespace: 'ack-system', chart: ackChart('iam'), installsCrds: [] }, release({ 'ack-iam': `1.9.0@${DIGEST}` }));
      expect(byKind(oci, 'OCIRepository')[0].spec).toMatchObject({ ref: { tag: '1.9.0', digest: DIGEST } });
    });

    it('fails when the stage pins no chart for the release, naming the unit, release and stage', () => {
      expect(() => render({}, release(undefined))).toThrow(/HelmAddon 'external-secrets' has no pin on stage 'staging'; add 'demo': \{ 'external-secrets': '2.9.0' \}/);
    });

    it('fails on a digest for an HTTPS Helm repository chart, which Flux cannot pin by digest', () => {
      expect(() => render({}, release({ 'external-secrets': `2.9.0@${DIGEST}` }))).toThrow(/HTTPS Helm repository, which Flux cannot pin by digest/);
    });
  });

  it('drops undefined values and keeps the typed ones', () => {
    const spec = byKind(render({ values: { replicaCount: 3, log: { level: 'debug' }, extraArgs: ['--concurrent=2'] } }), 'HelmRelease')[0]
      .spec as Record<string, unknown>;
    expect(spec.values).toEqual({ replicaCount: 3, log: { level: 'debug' }, extraArgs: ['--concurrent=2'] });
    expect(byKind(render(), 'HelmRelease')[0].spec).toMatchObject({ values: { replicaCount: 2 } });
  });

  it('omits the Namespace when told the namespace exists, and adds dependsOn, interval and retries', () => {
    const objects = render({
      namespace: 'kube-system',
      createNamespace: false,
      dependsOn: [{ name: 'csi-driver' }],
      interval: Duration.minutes(30),
      remediation: { installRetries: 1, upgradeRetries: 5 },
    });
    expect(byKind(objects, 'Namespace')).toEqual([]);
    const spec = byKind(objects, 'HelmRelease')[0].spec as unknown as {
      dependsOn: unknown;
      interval: string;
      install: { remediation: unknown };
      upgrade: { remediation: { retries: number } };
    };
    expect(spec.dependsOn).toEqual([{ name: 'csi-driver', namespace: 'kube-system' }]);
    expect(spec.interval).toBe('30m');
    expect(spec.install.remediation).toEqual({ retries: 1 });
    expect(spec.upgrade.remediation.retries).toBe(5);
  });

  it('fails if the release name is not a DNS label', () => {
    expect(() => render({ name: 'External_Secrets' })).toThrow(/name 'External_Secrets' must be a DNS label/);
  });

  it('fails if an installsCrds entry is not an API group', () => {
    expect(() => render({ installsCrds: ['ExternalSecret'] })).toThrow(/installsCrds entry 'ExternalSecret' is not an API group/);
  });

  it('fails if values hold something YAML cannot represent', () => {
    expect(() => render({ values: { replicaCount: Number.NaN } })).toThrow(/values\.replicaCount is NaN/);
  });

  it('fails if retries are out of range', () => {
    expect(() => render({ remediation: { upgradeRetries: -1 } })).toThrow(/remediation\.upgradeRetries is -1/);
  });
});
