import { defineChartReleases, defineReleases } from '@flotilla/config';
import { stages } from './fleet-defaults';

// The fleet's release pins: what each stage runs, per workload unit, by digest. Environment
// settings (replicas, hosts, quotas) live in the team catalog (lib/teams/); only this file changes
// when a release moves. Edited by `flotilla set-image` and `flotilla promote`; keep every pin a
// plain string literal. An image without a registry host is in the cluster's own ECR registry: every
// stage pins the same references, so a promotion copies them unchanged. Public images (NGINX, the
// AppConfig agent) are mirrored into each account's ECR by CI and signed there (prod's Gatekeeper and
// Ratify deny the rest); a mirror copies the image byte for byte, so its digest stays the same.
// The digests of this example fleet are placeholders (syntactically valid, not real images).
export const releases = defineReleases(stages, {
  dev: {
    'team-a-web': { web: 'nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b' },
    'config-demo': {
      app: 'nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b',
      agent: 'aws-appconfig/aws-appconfig-agent:2.0.13147@sha256:7c3e1a9b5d2f4e6a8c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c',
    },
    comfyui: { comfyui: 'imagegen/comfyui:0.3.66-cu128@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945' },
    'dj-api': {
      v1: 'dj/http-echo:1.0.0@sha256:0c1d2e3f4a5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      v2: 'dj/http-echo:1.2.0@sha256:6f3b7b828b5c9f4c54d6a835b8148b59d45792a7a1de50539f066394024542ea',
    },
  },
  staging: {
    'team-a-web': { web: 'nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b' },
    'config-demo': {
      app: 'nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b',
      agent: 'aws-appconfig/aws-appconfig-agent:2.0.13147@sha256:7c3e1a9b5d2f4e6a8c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c',
    },
    comfyui: { comfyui: 'imagegen/comfyui:0.3.66-cu128@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945' },
    'dj-api': {
      v1: 'dj/http-echo:1.0.0@sha256:0c1d2e3f4a5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      v2: 'dj/http-echo:1.1.0@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0',
    },
  },
  prod: {
    'team-a-web': { web: 'nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b' },
    'config-demo': {
      app: 'nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b',
      agent: 'aws-appconfig/aws-appconfig-agent:2.0.13147@sha256:7c3e1a9b5d2f4e6a8c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c',
    },
    comfyui: { comfyui: 'imagegen/comfyui:0.3.66-cu128@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945' },
    'dj-api': {
      v1: 'dj/http-echo:1.0.0@sha256:0c1d2e3f4a5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      v2: 'dj/http-echo:1.1.0@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0',
    },
  },
});


// Chart versions of the platform add-ons, per stage: unit → Helm release name (or Crossplane package
// name) → exact version ('<version>' or, for an OCI chart or a package, '<version>@sha256:<digest>'). A chart upgrade is a change of
// the first stage's pin, then `flotilla promote <unit> --from dev --to staging`, and so on. Where
// each chart comes from, how it is verified, and which version its vendored CRDs and values schema
// belong to stay in the version catalog (libs/constructs/src/lib/versions.ts). No digest is written
// here yet: none could be read from the registries offline, and none is invented.
export const chartReleases = defineChartReleases(stages, {
  dev: {
    'ack.eks': { 'ack-eks-controller': '1.20.0' },
    'ack.eventbridge': { 'ack-eventbridge-controller': '1.5.1' },
    'ack.iam': { 'ack-iam-controller': '1.8.1' },
    'ack.lambda': { 'ack-lambda-controller': '1.14.1' },
    'ack.rds': { 'ack-rds-controller': '1.11.1' },
    'ack.s3': { 'ack-s3-controller': '1.10.0' },
    'ack.secretsmanager': { 'ack-secretsmanager-controller': '1.4.1' },
    'ack.sqs': { 'ack-sqs-controller': '1.6.1' },
    crossplane: { crossplane: '2.3.4' },
    'crossplane.provider-aws-iam': { 'provider-aws-iam': 'v2.6.0' },
    'appconfig-sync-platform.provider': { 'provider-aws-appconfig': 'v2.6.0' },
    'external-secrets': { 'external-secrets': '2.9.0' },
    gatekeeper: { gatekeeper: '3.23.0' },
    karpenter: { karpenter: '1.14.1' },
    kong: { kong: '2.51.0' },
    'mountpoint-s3-csi': { 'aws-mountpoint-s3-csi-driver': '2.1.0' },
    'nvidia-device-plugin': { 'nvidia-device-plugin': '0.20.0' },
    reloader: { reloader: '2.2.16' },
    'secrets-store-csi': { 'secrets-store-csi-driver': '1.6.0', 'secrets-store-csi-driver-provider-aws': '2.2.0' },
    'ack.prometheusservice': { 'ack-prometheusservice-controller': '1.4.3' },
    'ack.cloudwatch': { 'ack-cloudwatch-controller': '1.8.1' },
    'ack.sns': { 'ack-sns-controller': '1.6.0' },
    'aws-load-balancer-controller': { 'aws-load-balancer-controller': '3.5.0' },
    'cert-manager': { 'cert-manager': 'v1.21.1' },
    ratify: { ratify: '1.15.0' },
    'signing.provider': { 'provider-aws-signer': 'v2.6.0' },
  },
  staging: {
    'ack.eks': { 'ack-eks-controller': '1.20.0' },
    'ack.eventbridge': { 'ack-eventbridge-controller': '1.5.1' },
    'ack.iam': { 'ack-iam-controller': '1.8.1' },
    'ack.lambda': { 'ack-lambda-controller': '1.14.1' },
    'ack.rds': { 'ack-rds-controller': '1.11.1' },
    'ack.s3': { 'ack-s3-controller': '1.10.0' },
    'ack.secretsmanager': { 'ack-secretsmanager-controller': '1.4.1' },
    'ack.sqs': { 'ack-sqs-controller': '1.6.1' },
    crossplane: { crossplane: '2.3.4' },
    'crossplane.provider-aws-iam': { 'provider-aws-iam': 'v2.6.0' },
    'appconfig-sync-platform.provider': { 'provider-aws-appconfig': 'v2.6.0' },
    'external-secrets': { 'external-secrets': '2.9.0' },
    gatekeeper: { gatekeeper: '3.23.0' },
    karpenter: { karpenter: '1.14.1' },
    kong: { kong: '2.51.0' },
    'mountpoint-s3-csi': { 'aws-mountpoint-s3-csi-driver': '2.1.0' },
    'nvidia-device-plugin': { 'nvidia-device-plugin': '0.20.0' },
    reloader: { reloader: '2.2.16' },
    'secrets-store-csi': { 'secrets-store-csi-driver': '1.6.0', 'secrets-store-csi-driver-provider-aws': '2.2.0' },
    'ack.prometheusservice': { 'ack-prometheusservice-controller': '1.4.3' },
    'ack.cloudwatch': { 'ack-cloudwatch-controller': '1.8.1' },
    'ack.sns': { 'ack-sns-controller': '1.6.0' },
    'aws-load-balancer-controller': { 'aws-load-balancer-controller': '3.5.0' },
    'cert-manager': { 'cert-manager': 'v1.21.1' },
    ratify: { ratify: '1.15.0' },
    'signing.provider': { 'provider-aws-signer': 'v2.6.0' },
  },
  prod: {
    'ack.eks': { 'ack-eks-controller': '1.20.0' },
    'ack.eventbridge': { 'ack-eventbridge-controller': '1.5.1' },
    'ack.iam': { 'ack-iam-controller': '1.8.1' },
    'ack.lambda': { 'ack-lambda-controller': '1.14.1' },
    'ack.rds': { 'ack-rds-controller': '1.11.1' },
    'ack.s3': { 'ack-s3-controller': '1.10.0' },
    'ack.secretsmanager': { 'ack-secretsmanager-controller': '1.4.1' },
    'ack.sqs': { 'ack-sqs-controller': '1.6.1' },
    crossplane: { crossplane: '2.3.4' },
    'crossplane.provider-aws-iam': { 'provider-aws-iam': 'v2.6.0' },
    'appconfig-sync-platform.provider': { 'provider-aws-appconfig': 'v2.6.0' },
    'external-secrets': { 'external-secrets': '2.9.0' },
    gatekeeper: { gatekeeper: '3.23.0' },
    karpenter: { karpenter: '1.14.1' },
    kong: { kong: '2.51.0' },
    'mountpoint-s3-csi': { 'aws-mountpoint-s3-csi-driver': '2.1.0' },
    'nvidia-device-plugin': { 'nvidia-device-plugin': '0.20.0' },
    reloader: { reloader: '2.2.16' },
    'secrets-store-csi': { 'secrets-store-csi-driver': '1.6.0', 'secrets-store-csi-driver-provider-aws': '2.2.0' },
    'ack.prometheusservice': { 'ack-prometheusservice-controller': '1.4.3' },
    'ack.cloudwatch': { 'ack-cloudwatch-controller': '1.8.1' },
    'ack.sns': { 'ack-sns-controller': '1.6.0' },
    'aws-load-balancer-controller': { 'aws-load-balancer-controller': '3.5.0' },
    'cert-manager': { 'cert-manager': 'v1.21.1' },
    ratify: { ratify: '1.15.0' },
    'signing.provider': { 'provider-aws-signer': 'v2.6.0' },
  },
});
