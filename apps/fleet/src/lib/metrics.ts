import { DEFAULT_COLLECTOR_IMAGE } from '@flotilla/charts/platform/metrics';

/**
 * The collector image pinned by digest, for clusters whose Gatekeeper constraints require digests.
 * PLACEHOLDER digest: the registry digest of aws-otel-collector v0.49.0 cannot be looked up from
 * this workspace (no registry access); replace it with `crane digest <image>` before rollout, as
 * with the release pins in releases.ts. `registry` names a pull-through mirror (prod allows only its own ECR).
 */
export function pinnedCollectorImage(registry?: string): string {
  const image = registry ? DEFAULT_COLLECTOR_IMAGE.replace(/^public\.ecr\.aws\//, `${registry}/`) : DEFAULT_COLLECTOR_IMAGE;
  return `${image}@sha256:3b0f5d2a9c7e1f4b6d8a0c2e4f6a8b0d2c4e6f8a0b2d4c6e8f0a2b4d6c8e0f2a`;
}
