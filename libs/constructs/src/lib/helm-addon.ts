import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DEFAULT_FLUX_SETTINGS, Duration, FLUX_SETTINGS_CONTEXT, type FluxSettings, type HelmDriftDetection, type ParsedChartPin, goDuration } from '@flotilla/config';
import * as flux from '@flotilla/k8s-apis/flux';
import { INSTALLS_CRDS_ANNOTATION, RUNTIME_POD_NAMESPACES_ANNOTATION } from '@flotilla/model';
import { stagePin } from './stage-pin';
import type { AddonVersion } from './versions';

/** A HelmRelease this release waits for (Flux `spec.dependsOn`). */
export interface HelmReleaseRef {
  readonly name: string;
  /** @default - the dependent release's namespace */
  readonly namespace?: string;
}

/** How Flux reacts to a failed install or upgrade. */
export interface HelmRemediation {
  /**
   * Install attempts after the first failure (each failed attempt is uninstalled before the next).
   *
   * @default 3
   */
  readonly installRetries?: number;
  /**
   * Upgrade attempts after the first failure; after the last one the release is rolled back to the
   * last good revision.
   *
   * @default 3
   */
  readonly upgradeRetries?: number;
}

export interface HelmAddonProps<V extends object> {
  /** Release name; also the name of the HelmRelease and of its chart source. A DNS label. */
  readonly name: string;
  /** Namespace the release (and its source) lives in. */
  readonly namespace: string;
  /**
   * Render a `Namespace` object for {@link namespace}. Turn off for namespaces that exist already
   * (e.g. `kube-system`) or that another release of the same unit renders.
   *
   * @default true
   */
  readonly createNamespace?: boolean;
  /** Labels on the rendered Namespace. @default - none */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /**
   * The chart, from the version catalog (`VERSIONS`, `ackChart()`): where it comes from and how it
   * is verified. Which version renders is the stage's chart pin for this release (`releases.ts`,
   * `defineChartReleases`, keyed by unit and {@link name}) when the fleet declares chart pins.
   */
  readonly chart: AddonVersion;
  /**
   * Helm values. Each chart passes its own values interface (plain data: strings, numbers,
   * booleans, arrays, objects); keys left `undefined` are dropped.
   */
  readonly values: V;
  /**
   * API groups whose CRDs the release installs, written to the `flotilla.dev/installs-crds`
   * annotation. Non-empty switches Flux to `install.crds: Create` / `upgrade.crds: CreateReplace`
   * so CRDs in the chart's `crds/` folder are also upgraded; empty keeps both at `Skip`.
   */
  readonly installsCrds: readonly string[];
  /**
   * Namespaces, other than `namespace`, where the controller creates pods at run time (written to
   * the `flotilla.dev/runtime-pod-namespaces` annotation), so policy tests can check those pods too.
   *
   * @default - none
   */
  readonly runtimePodNamespaces?: readonly string[];
  /**
   * How often helm-controller reconciles the release, i.e. checks it for drift and new values.
   *
   * @default - the unit's Flux `interval` (`ClusterConfig.flux`, 10 minutes by default)
   */
  readonly interval?: Duration;
  /** How often Flux polls the chart source for the pinned chart. @default Duration.hours(1) */
  readonly sourceInterval?: Duration;
  /**
   * `spec.driftDetection.mode`: revert (`enabled`), report (`warn`) or ignore in-cluster changes to
   * the release's objects.
   *
   * @default - the unit's Flux `helmDriftDetection` (`ClusterConfig.flux`, 'enabled' by default)
   */
  readonly driftDetection?: HelmDriftDetection;
  /** Time budget for one install/upgrade/rollback including waiting for readiness. @default Duration.minutes(10) */
  readonly timeout?: Duration;
  /** @default - 3 install retries, 3 upgrade retries then rollback */
  readonly remediation?: HelmRemediation;
  /** Releases that must be ready before this one installs. @default - none */
  readonly dependsOn?: readonly HelmReleaseRef[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * One Helm-installed add-on: a `HelmRepository` or `OCIRepository` for the pinned chart, the
 * `HelmRelease`, and (by default) its `Namespace`.
 *
 * Remediation is deliberate: a failed install is retried (uninstalling in between), a failed
 * upgrade is retried and then rolled back, and upgrade failures clean up new resources. CRD
 * handling follows {@link HelmAddonProps.installsCrds}.
 */
export class HelmAddon<V extends object> extends Construct {
  readonly releaseName: string;
  readonly namespace: string;
  readonly helmRelease: flux.HelmRelease;
  readonly source: flux.HelmRepository | flux.OciRepository;
  /** The chart version rendered: the stage's chart pin, else the catalog version. */
  readonly version: string;

  constructor(scope: Construct, id: string, props: HelmAddonProps<V>) {
    super(scope, id);
    for (const [field, value] of [
      ['name', props.name],
      ['namespace', props.namespace],
    ] as const) {
      if (!DNS_LABEL.test(value) || value.length > 53) {
        throw new Error(`HelmAddon ${field} '${value}' must be a DNS label of at most 53 characters (Helm's release name limit): lowercase letters, digits and '-'`);
      }
    }
    const installRetries = props.remediation?.installRetries ?? 3;
    const upgradeRetries = props.remediation?.upgradeRetries ?? 3;
    for (const [field, value] of [
      ['installRetries', installRetries],
      ['upgradeRetries', upgradeRetries],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value > 10) {
        throw new Error(`HelmAddon '${props.name}' remediation.${field} is ${value}; use a whole number from 0 to 10`);
      }
    }
    for (const group of props.installsCrds) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(group)) {
        throw new Error(`HelmAddon '${props.name}' installsCrds entry '${group}' is not an API group; write groups like 'external-secrets.io'`);
      }
    }

    this.releaseName = props.name;
    this.namespace = props.namespace;
    // One place for every add-on: the unit's Flux settings, which renderUnit puts in the context.
    const fluxSettings = (this.node.tryGetContext(FLUX_SETTINGS_CONTEXT) as FluxSettings | undefined) ?? DEFAULT_FLUX_SETTINGS;
    const interval = goDuration(props.interval ?? fluxSettings.interval);
    const sourceInterval = goDuration(props.sourceInterval ?? Duration.hours(1));
    const driftDetection = props.driftDetection ?? fluxSettings.helmDriftDetection;
    if (!['enabled', 'warn', 'disabled'].includes(driftDetection)) {
      throw new Error(`HelmAddon '${props.name}' driftDetection is '${driftDetection}'; use 'enabled', 'warn' or 'disabled'`);
    }
    const timeout = goDuration(props.timeout ?? Duration.minutes(10));
    const values = plainValues(props.values, `HelmAddon '${props.name}' values`);
    const ownsCrds = props.installsCrds.length > 0;
    const runtimePodNamespaces = [...new Set(props.runtimePodNamespaces ?? [])].sort();
    for (const namespace of runtimePodNamespaces) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace === props.namespace) {
        throw new Error(`HelmAddon '${props.name}': runtimePodNamespaces entry '${namespace}' must be a namespace name other than the release's own ('${props.namespace}')`);
      }
    }

    if (props.createNamespace ?? true) {
      new k8s.KubeNamespace(this, 'Namespace', {
        metadata: { name: props.namespace, ...(props.namespaceLabels ? { labels: { ...props.namespaceLabels } } : {}) },
      });
    }

    const source = props.chart.source;
    const pin = chartPin(this, props.name, props.chart);
    this.version = pin.version;
    const metadata = { name: props.name, namespace: props.namespace };
    let chartSpec: Pick<flux.HelmReleaseSpec, 'chart' | 'chartRef'>;
    if (source.type === 'oci') {
      this.source = new flux.OciRepository(this, 'Source', {
        metadata,
        spec: {
          interval: sourceInterval,
          url: source.url,
          // With a digest Flux pulls exactly that manifest; the tag stays for the reader.
          ref: { tag: pin.version, ...(pin.digest ? { digest: pin.digest } : {}) },
          // Helm charts are a single layer; copy it as-is so helm-controller gets the .tgz.
          layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: flux.OciRepositorySpecLayerSelectorOperation.COPY },
          ...(source.verify
            ? { verify: { provider: flux.OciRepositorySpecVerifyProvider.COSIGN, matchOidcIdentity: [{ issuer: source.verify.issuer, subject: source.verify.subject }] } }
            : {}),
        },
      });
      chartSpec = { chartRef: { kind: flux.HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: props.name, namespace: props.namespace } };
    } else {
      this.source = new flux.HelmRepository(this, 'Source', { metadata, spec: { interval: sourceInterval, url: source.url } });
      chartSpec = {
        chart: {
          spec: {
            chart: source.chart,
            version: pin.version,
            interval: sourceInterval,
            sourceRef: { kind: flux.HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: props.name, namespace: props.namespace },
          },
        },
      };
    }

    this.helmRelease = new flux.HelmRelease(this, 'Resource', {
      metadata: {
        ...metadata,
        ...(ownsCrds || runtimePodNamespaces.length > 0
          ? {
              annotations: {
                ...(ownsCrds ? { [INSTALLS_CRDS_ANNOTATION]: [...props.installsCrds].sort().join(',') } : {}),
                ...(runtimePodNamespaces.length > 0 ? { [RUNTIME_POD_NAMESPACES_ANNOTATION]: runtimePodNamespaces.join(',') } : {}),
              },
            }
          : {}),
      },
      spec: {
        ...chartSpec,
        releaseName: props.name,
        interval,
        timeout,
        driftDetection: { mode: driftDetection as flux.HelmReleaseSpecDriftDetectionMode },
        ...(props.dependsOn && props.dependsOn.length > 0
          ? { dependsOn: props.dependsOn.map((ref) => ({ name: ref.name, namespace: ref.namespace ?? props.namespace })) }
          : {}),
        install: {
          crds: ownsCrds ? flux.HelmReleaseSpecInstallCrds.CREATE : flux.HelmReleaseSpecInstallCrds.SKIP,
          strategy: { name: flux.HelmReleaseSpecInstallStrategyName.REMEDIATE_ON_FAILURE },
          remediation: { retries: installRetries },
        },
        upgrade: {
          // CreateReplace: Helm itself never upgrades CRDs from crds/, so without it new CRD versions never land.
          crds: ownsCrds ? flux.HelmReleaseSpecUpgradeCrds.CREATE_REPLACE : flux.HelmReleaseSpecUpgradeCrds.SKIP,
          cleanupOnFail: true,
          strategy: { name: flux.HelmReleaseSpecUpgradeStrategyName.REMEDIATE_ON_FAILURE },
          remediation: {
            retries: upgradeRetries,
            remediateLastFailure: true,
            strategy: flux.HelmReleaseSpecUpgradeRemediationStrategy.ROLLBACK,
          },
        },
        rollback: { cleanupOnFail: true },
        values,
      },
    });
  }
}

/** The stage's chart pin for this release ({@link stagePin}); a digest only where Flux can pin one (OCI). */
function chartPin(scope: Construct, release: string, chart: AddonVersion): ParsedChartPin {
  const parsed = stagePin(scope, release, chart.source.version, 'HelmAddon');
  if (parsed.digest && chart.source.type !== 'oci') {
    throw new Error(
      `HelmAddon '${release}': chart pin '${parsed.version}@${parsed.digest}' has a digest, but ${chart.source.url} is an HTTPS Helm repository, which Flux cannot pin by digest; pin the version alone`,
    );
  }
  return parsed;
}

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** Copies values into plain JSON data, dropping `undefined` keys and rejecting anything YAML cannot hold. */
function plainValues(value: object, where: string): Record<string, Plain> {
  const copy = plain(value, where);
  return copy as Record<string, Plain>;
}

function plain(value: unknown, path: string): Plain {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}; Helm values must be finite numbers`);
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      if (item === undefined) throw new Error(`${path}[${index}] is undefined; remove the entry or give it a value`);
      return plain(item, `${path}[${index}]`);
    });
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const result: { [key: string]: Plain } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) result[key] = plain(item, `${path}.${key}`);
    }
    return result;
  }
  throw new Error(`${path} is a ${typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value}; Helm values must be plain data (string, number, boolean, array, object)`);
}
