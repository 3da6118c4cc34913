/**
 * The version catalog: the one place that pins which chart (or package) each add-on installs.
 *
 * Where an add-on installs CRDs, its version matches the CRDs the schemas and typed L1s were
 * generated from (`libs/upstream/sources.json`), so what Flux installs is what synth validated.
 * `provenance` says where each pin comes from; `chosen` marks a version picked here (no CRD ties it
 * down), with the reason in `note`.
 */

/** A chart served from a classic Helm repository (`index.yaml` over HTTPS). */
export interface HelmRepositoryChart {
  readonly type: 'helm';
  /** Repository URL, e.g. `https://charts.external-secrets.io`. */
  readonly url: string;
  /** Chart name inside the repository. */
  readonly chart: string;
  /** Exact chart version (no ranges: upgrades are a reviewed change of this file). */
  readonly version: string;
}

/**
 * A publisher's keyless cosign identity (Sigstore, Fulcio certificate): both regexes must match
 * the signing certificate. Flux checks it with `spec.verify.matchOIDCIdentity`; no Secret needed.
 */
export interface CosignKeylessIdentity {
  /** Regex for the OIDC issuer, e.g. `^https://token\.actions\.githubusercontent\.com$`. */
  readonly issuer: string;
  /** Regex for the certificate subject, e.g. the publisher's release workflow. */
  readonly subject: string;
  /** Where the publisher documents or does the signing (reviewed when the chart moves). */
  readonly evidence: string;
}

/** A chart pushed as an OCI artifact; Flux pulls it through an `OCIRepository`. */
export interface OciChart {
  readonly type: 'oci';
  /** Artifact URL without tag, `oci://<registry>/<path>/<chart>`. */
  readonly url: string;
  /** Exact chart version (the OCI tag). */
  readonly version: string;
  /**
   * How the publisher signs the chart; rendered as the `OCIRepository`'s `spec.verify`, so Flux
   * refuses an artifact without that signature.
   *
   * @default - unsigned upstream: not verified (README "Supply chain" says why per source)
   */
  readonly verify?: CosignKeylessIdentity;
}

export type ChartSource = HelmRepositoryChart | OciChart;

/** Where a pinned version comes from. */
export type Provenance =
  /** Same version as the CRDs vendored in `libs/upstream` (`sources.json`; a test checks it). */
  | 'crds-sources'
  /** Taken from the upstream project's install docs for the AppConfig → Secrets Manager → ESO → Reloader chain. */
  | 'aws-chain'
  /** Chosen here; `note` says why. */
  | 'chosen';

/**
 * Whether the pinned chart version ships a `values.schema.json`. `vendored`: it does, and the schema
 * is in `libs/upstream/charts/<chart>/<version>/` (synth checks the values against it; bumping the
 * version without vendoring fails synth). Otherwise the evidence that this exact version has none;
 * a test fails when the version moves on, so the next version is checked again.
 */
export type ValuesSchemaStatus = 'vendored' | { readonly absentAt: string; readonly evidence: string };

export interface AddonVersion {
  readonly source: ChartSource;
  readonly valuesSchema: ValuesSchemaStatus;
  /** Version of the software the chart deploys, when it differs from the chart version. @default - same as the chart version */
  readonly appVersion?: string;
  readonly provenance: Provenance;
  /** Why this version, when it is not obvious. @default - none */
  readonly note?: string;
}

/** The ACK service controllers the platform runs, keyed by service (the API group prefix). */
export const ACK_SERVICES = ['iam', 'rds', 'lambda', 'eventbridge', 'secretsmanager', 'eks', 's3', 'sqs', 'prometheusservice', 'cloudwatch', 'sns'] as const;
export type AckService = (typeof ACK_SERVICES)[number];

const ACK_VERSIONS: Record<AckService, string> = {
  iam: '1.8.1',
  rds: '1.11.1',
  lambda: '1.14.1',
  eventbridge: '1.5.1',
  secretsmanager: '1.4.1',
  eks: '1.20.0',
  s3: '1.10.0',
  // Karpenter's interruption queue (libs/upstream ack-sqs).
  sqs: '1.6.1',
  // The metrics workspace, its rules and alert manager definition (libs/upstream ack-prometheusservice).
  prometheusservice: '1.4.3',
  // Alarms of the AppConfig chain and AppConfig environment monitors (libs/upstream ack-cloudwatch, ack-sns).
  cloudwatch: '1.8.1',
  sns: '1.6.0',
};

/** ACK publishes each controller's chart as `oci://public.ecr.aws/aws-controllers-k8s/<service>-chart`, tag without `v`. */
export function ackChart(service: AckService): AddonVersion {
  return {
    source: { type: 'oci', url: `oci://public.ecr.aws/aws-controllers-k8s/${service}-chart`, version: ACK_VERSIONS[service] },
    valuesSchema: 'vendored',
    provenance: 'crds-sources',
  };
}

export const VERSIONS = {
  externalSecrets: {
    // The same chart package as https://charts.external-secrets.io, pushed to GHCR and signed there
    // (keyless cosign in .github/workflows/helm.yml at v2.9.0); the HTTPS repository cannot be verified.
    source: {
      type: 'oci',
      url: 'oci://ghcr.io/external-secrets/charts/external-secrets',
      version: '2.9.0',
      verify: {
        issuer: '^https://token\\.actions\\.githubusercontent\\.com$',
        subject: '^https://github\\.com/external-secrets/external-secrets/\\.github/workflows/helm\\.yml@.+$',
        evidence: "external-secrets/external-secrets .github/workflows/helm.yml at v2.9.0: 'helm push' to ghcr.io/external-secrets/charts, then 'cosign sign' of the digest and 'cosign verify --certificate-identity-regexp https://github.com/$GITHUB_REPOSITORY/.* --certificate-oidc-issuer https://token.actions.githubusercontent.com'",
      },
    },
    valuesSchema: 'vendored',
    provenance: 'crds-sources',
  },
  reloader: {
    source: { type: 'helm', url: 'https://stakater.github.io/stakater-charts', chart: 'reloader', version: '2.2.16' },
    valuesSchema: 'vendored',
    appVersion: 'v1.4.21',
    provenance: 'aws-chain',
  },
  karpenter: {
    source: {
      type: 'oci',
      url: 'oci://public.ecr.aws/karpenter/karpenter',
      version: '1.14.1',
      // Keyless cosign from the Release workflow (aws/karpenter-provider-aws#5609; hack/release/common.sh
      // at v1.14.1: `cosign sign --yes … <chart>@<digest>` under .github/workflows/release.yaml with id-token: write).
      verify: {
        issuer: '^https://token\\.actions\\.githubusercontent\\.com$',
        subject: '^https://github\\.com/aws/karpenter-provider-aws/\\.github/workflows/release\\.yaml@.+$',
        evidence: 'aws/karpenter-provider-aws#5609 (chart signing); hack/release/common.sh cosignOciArtifact at tag v1.14.1',
      },
    },
    valuesSchema: { absentAt: '1.14.1', evidence: 'aws/karpenter-provider-aws charts/karpenter at tag v1.14.1 (bde00654cd31) has no values.schema.json, nor did any earlier commit' },
    provenance: 'crds-sources',
  },
  gatekeeper: {
    source: { type: 'helm', url: 'https://open-policy-agent.github.io/gatekeeper/charts', chart: 'gatekeeper', version: '3.23.0' },
    valuesSchema: { absentAt: '3.23.0', evidence: 'open-policy-agent/gatekeeper charts/gatekeeper at tag v3.23.0 (cdf332c3f276) has no values.schema.json, nor did any earlier commit' },
    provenance: 'crds-sources',
  },
  ratify: {
    source: { type: 'helm', url: 'https://ratify-project.github.io/ratify', chart: 'ratify', version: '1.15.0' },
    valuesSchema: { absentAt: '1.15.0', evidence: 'ratify-project/ratify charts/ratify at tag v1.4.0 (f3f6229dee10) has no values.schema.json' },
    appVersion: 'v1.4.0',
    provenance: 'crds-sources',
  },
  crossplane: {
    source: { type: 'helm', url: 'https://charts.crossplane.io/stable', chart: 'crossplane', version: '2.3.4' },
    valuesSchema: { absentAt: '2.3.4', evidence: 'crossplane/crossplane cluster/charts/crossplane at tag v2.3.4 (c2670a735103) has no values.schema.json, nor did any earlier commit' },
    provenance: 'crds-sources',
  },
  secretsStoreCsi: {
    source: { type: 'helm', url: 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts', chart: 'secrets-store-csi-driver', version: '1.6.0' },
    valuesSchema: { absentAt: '1.6.0', evidence: 'kubernetes-sigs/secrets-store-csi-driver charts/secrets-store-csi-driver at tag v1.6.0 (4960f9637c51) has no values.schema.json, nor did any earlier commit' },
    provenance: 'crds-sources',
  },
  secretsStoreCsiProviderAws: {
    source: { type: 'helm', url: 'https://aws.github.io/secrets-store-csi-driver-provider-aws', chart: 'secrets-store-csi-driver-provider-aws', version: '2.2.0' },
    valuesSchema: { absentAt: '2.2.0', evidence: 'aws/secrets-store-csi-driver-provider-aws charts/secrets-store-csi-driver-provider-aws at abef2ee94bcd (the untagged commit that set version 2.2.0) has no values.schema.json, nor did any commit up to 3.1.1' },
    provenance: 'chosen',
    note: 'ASCP installs no CRDs; 2.2.0 is the newest chart version seen in the upstream repository snapshot available here (not re-checked against the live repository)',
  },
  mountpointS3Csi: {
    source: { type: 'helm', url: 'https://awslabs.github.io/mountpoint-s3-csi-driver', chart: 'aws-mountpoint-s3-csi-driver', version: '2.1.0' },
    valuesSchema: { absentAt: '2.1.0', evidence: 'awslabs/mountpoint-s3-csi-driver charts/aws-mountpoint-s3-csi-driver at tag v2.1.0 (83d9ceb65551) has no values.schema.json, nor did any earlier commit' },
    provenance: 'chosen',
    note: 'installs no CRDs used here; a v2 chart (Mountpoint CSI v2 runs mounts in separate pods); version not verified against the live repository',
  },
  nvidiaDevicePlugin: {
    source: { type: 'helm', url: 'https://nvidia.github.io/k8s-device-plugin', chart: 'nvidia-device-plugin', version: '0.20.0' },
    valuesSchema: { absentAt: '0.20.0', evidence: 'NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin at tag v0.20.0 (1b826acc6af3) has no values.schema.json, nor did any earlier commit' },
    provenance: 'chosen',
    note: 'installs no CRDs; 0.20.0 is the newest release of NVIDIA/k8s-device-plugin (tag v0.20.0, commit 1b826acc6af3079d8923bac395c3124b8861a9a6, deployments/helm/nvidia-device-plugin) in the snapshot read here; the scheduling check models its values from that tag',
  },
  kong: {
    source: { type: 'helm', url: 'https://charts.konghq.com', chart: 'kong', version: '2.51.0' },
    valuesSchema: { absentAt: '2.51.0', evidence: 'Kong/charts charts/kong at tag kong-2.51.0 (0fd1503b2f58) has no values.schema.json, nor did any earlier commit' },
    appVersion: '3.5.13',
    provenance: 'chosen',
    note: 'chart version chosen as the 2.x line that defaults to KIC 3.5; the controller image tag is pinned to 3.5.13 explicitly (values), the KIC release whose CRDs are in SOURCES.md',
  },
  awsLoadBalancerController: {
    source: { type: 'helm', url: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '3.5.0' },
    valuesSchema: {
      absentAt: '3.5.0',
      evidence:
        'aws/eks-charts stable/aws-load-balancer-controller at 5239609242f3 (chart 3.5.0) and kubernetes-sigs/aws-load-balancer-controller helm/aws-load-balancer-controller at tag v3.5.0 (11eb202c97e4) have no values.schema.json; none was ever on the upstream branch',
    },
    appVersion: 'v3.5.0',
    provenance: 'crds-sources',
  },
  certManager: {
    source: { type: 'helm', url: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1' },
    valuesSchema: 'vendored',
    provenance: 'crds-sources',
    note: 'cert-manager publishes its chart versions with the leading v of the release tag',
  },
} as const satisfies Record<string, AddonVersion>;

export type AddonName = keyof typeof VERSIONS;

/** Crossplane packages are OCI images, not charts; pinned here with the charts. */
export const CROSSPLANE_PACKAGES = {
  /** Upbound provider-upjet-aws, IAM family member; CRDs `iam.aws.upbound.io`, family provider brings `aws.upbound.io`. */
  providerAwsIam: { package: 'xpkg.upbound.io/upbound/provider-aws-iam', version: 'v2.6.0', provenance: 'crds-sources' },
  /** Signer family member; CRDs `signer.aws.upbound.io` (the fleet's signing profiles, unit `signing`). */
  providerAwsSigner: { package: 'xpkg.upbound.io/upbound/provider-aws-signer', version: 'v2.6.0', provenance: 'crds-sources' },
} as const;

/** Gateway API standard-channel CRDs, installed from the upstream repository at a tag (there is no official chart). */
export const GATEWAY_API = {
  url: 'https://github.com/kubernetes-sigs/gateway-api',
  tag: 'v1.6.1',
  /** The commit `tag` pointed at when vendored (sources.json, `git rev-parse v1.6.1^{commit}`): Flux checks out this commit, never the movable tag. */
  commit: '8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3',
  path: './config/crd/standard',
  provenance: 'crds-sources',
} as const;
