import type { MutableReferenceException } from '@flotilla/config';

/**
 * Mutable references accepted on immutable stages (prod), each reviewed. Synth and `flotilla
 * validate` fail on any other mutable reference there, on an entry past its `expires`, and on an
 * entry no immutable cluster uses. Code owners (`@flotilla/platform`, CODEOWNERS) review every change
 * here; `reviewedBy` names that group. Digests could not be read from the registries where this list
 * was written (no registry access), and none is invented: each digest entry is fixed by reading the
 * digest (`crane digest <ref>`) and putting it into the chart pin (`'<version>@sha256:…'`) or package.
 */
const PLATFORM = '@flotilla/platform';

export const mutableReferenceExceptions: readonly MutableReferenceException[] = [
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/iam-chart:1.8.1',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.8.1@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/eks-chart:1.20.0',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.20.0@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/rds-chart:1.11.1',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.11.1@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/lambda-chart:1.14.1',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.14.1@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/eventbridge-chart:1.5.1',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.5.1@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/secretsmanager-chart:1.4.1',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.4.1@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/s3-chart:1.10.0',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.10.0@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/sqs-chart:1.6.1',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.6.1@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'https://stakater.github.io/stakater-charts/reloader:2.2.16',
    reason: 'Stakater publishes the chart only in an HTTPS Helm repository, unsigned; Flux can neither pin its digest nor verify it. Fix: an OCI chart pinned by digest once Stakater publishes one.',
    reviewedBy: PLATFORM,
    expires: '2027-06-30',
  },
  {
    reference: 'https://open-policy-agent.github.io/gatekeeper/charts/gatekeeper:3.23.0',
    reason: 'Gatekeeper publishes the chart only in an HTTPS Helm repository, unsigned (no cosign or OCI push in its release workflows at v3.23.0); Flux can neither pin its digest nor verify it.',
    reviewedBy: PLATFORM,
    expires: '2027-06-30',
  },
  {
    reference: 'https://charts.crossplane.io/stable/crossplane:2.3.4',
    reason: 'Crossplane publishes the chart to an HTTPS Helm index (nix/apps.nix at v2.3.4), unsigned; Flux can neither pin its digest nor verify it.',
    reviewedBy: PLATFORM,
    expires: '2027-06-30',
  },
  {
    reference: 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts/secrets-store-csi-driver:1.6.0',
    reason: 'The Secrets Store CSI driver chart is published only in an HTTPS Helm repository, unsigned; Flux can neither pin its digest nor verify it.',
    reviewedBy: PLATFORM,
    expires: '2027-06-30',
  },
  {
    reference: 'https://aws.github.io/secrets-store-csi-driver-provider-aws/secrets-store-csi-driver-provider-aws:2.2.0',
    reason: 'The AWS provider (ASCP) chart is published only in an HTTPS Helm repository, unsigned; Flux can neither pin its digest nor verify it.',
    reviewedBy: PLATFORM,
    expires: '2027-06-30',
  },
  {
    reference: 'https://awslabs.github.io/mountpoint-s3-csi-driver/aws-mountpoint-s3-csi-driver:2.1.0',
    reason: 'The Mountpoint for S3 CSI chart is published in an HTTPS Helm repository, unsigned; Flux can neither pin its digest nor verify it. An OCI copy on public.ecr.aws could be pinned by digest once its digest is read from the registry.',
    reviewedBy: PLATFORM,
    expires: '2027-06-30',
  },
  {
    reference: 'https://nvidia.github.io/k8s-device-plugin/nvidia-device-plugin:0.20.0',
    reason: 'NVIDIA publishes the device plugin chart in an HTTPS Helm repository, unsigned; Flux can neither pin its digest nor verify it.',
    reviewedBy: PLATFORM,
    expires: '2027-06-30',
  },
  {
    reference: 'https://charts.konghq.com/kong:2.51.0',
    reason: 'Kong publishes the kong chart only in an HTTPS Helm repository, unsigned (Kong/charts pushes only kong-operator-chart to OCI, unsigned); Flux can neither pin its digest nor verify it.',
    reviewedBy: PLATFORM,
    expires: '2027-06-30',
  },
  {
    reference: 'xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0',
    reason: 'Crossplane package by tag: the digest of v2.6.0 was not readable offline and no published digest was found. Fix: crane digest, then pin \'v2.6.0@sha256:…\' in releases.ts (chart pins).',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'xpkg.upbound.io/upbound/provider-aws-appconfig:v2.6.0',
    reason: 'Crossplane package by tag: the digest of v2.6.0 was not readable offline and no published digest was found. Fix: crane digest, then pin \'v2.6.0@sha256:…\' in releases.ts (chart pins).',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'HelmRelease kong/kong spec.values.ingressController.image (chart default repository):3.5.13',
    reason: 'Kong Ingress Controller image by tag (set in values to match the vendored KIC 3.5.13 CRDs): its digest was not readable offline and no published digest was found. The kong chart has no image digest field (charts/kong/values.yaml at kong-2.51.0: repository, tag, effectiveSemver); fix: once read, set the tag to \'3.5.13@sha256:…\'.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/cloudwatch-chart:1.8.1',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.8.1@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/prometheusservice-chart:1.4.3',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.4.3@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'oci://public.ecr.aws/aws-controllers-k8s/sns-chart:1.6.0',
    reason: 'ACK charts on public.ecr.aws are not signed (no cosign or Notation in aws-controllers-k8s release tooling), so only a digest pins them; the digest was not readable offline. Fix: crane digest, then pin \'1.6.0@sha256:…\' in releases.ts.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'https://aws.github.io/eks-charts/aws-load-balancer-controller:3.5.0',
    reason: 'AWS publishes the eks-charts only in an HTTPS Helm repository, unsigned; Flux can neither pin its digest nor verify it. Fix: an OCI mirror of the chart in the account ECR, pinned by digest.',
    reviewedBy: PLATFORM,
    expires: '2027-06-30',
  },
  {
    reference: 'https://charts.jetstack.io/cert-manager:v1.21.1',
    reason: 'The cert-manager chart is installed from the HTTPS Helm repository, which Flux can neither pin by digest nor verify. Fix: the OCI chart (quay.io/jetstack/charts/cert-manager) pinned by digest once its digest is read with crane.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'https://ratify-project.github.io/ratify/ratify:1.15.0',
    reason: 'Ratify publishes its chart in an HTTPS Helm repository, which Flux can neither pin by digest nor verify. Fix: the OCI chart pinned by digest once its digest is read with crane.',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'xpkg.upbound.io/upbound/provider-aws-signer:v2.6.0',
    reason: 'Crossplane package by tag: the digest of v2.6.0 was not readable offline and no published digest was found. Fix: crane digest, then pin \'v2.6.0@sha256:…\' in releases.ts (chart pins).',
    reviewedBy: PLATFORM,
    expires: '2027-03-31',
  },
  {
    reference: 'public.ecr.aws/aws-signer/notation-plugin:linux-amd64-latest',
    reason: 'The AWS Signer Notation plugin that Ratify downloads, by the tag AWS\'s Ratify quickstart uses; its digest was not readable offline. Fix: crane digest, then signing({ signerPlugin: \'public.ecr.aws/aws-signer/notation-plugin@sha256:…\' }).',
    reviewedBy: PLATFORM,
    expires: '2027-01-31',
  },
];
