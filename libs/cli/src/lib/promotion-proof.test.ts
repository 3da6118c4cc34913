import { describe, expect, it } from 'vitest';
import { diffRenders } from '@flotilla/diff';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { provePromotion, type ChartMove } from './promotion-proof';

const OLD = `registry.example.com/dj/echo:1@sha256:${'1'.repeat(64)}`;
const NEW = `registry.example.com/dj/echo:2@sha256:${'2'.repeat(64)}`;

function deployment(cluster: string, image: string, replicas = 1): RenderedObject {
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'jazz', namespace: 'dj' },
    spec: { replicas, template: { spec: { containers: [{ name: 'app', image }] } } },
  } as KubeObject;
  return { file: `clusters/${cluster}/apps/dj-api/Deployment_dj_jazz.yaml`, index: 0, object, cluster };
}

describe('the promotion proof', () => {
  const images = new Map([['staging', new Map([[OLD, NEW]])]]);

  it('explains an image field set from the promoted pin on a target cluster', () => {
    const proof = provePromotion(diffRenders([deployment('staging', OLD)], [deployment('staging', NEW)]), images);
    expect(proof).toEqual({ explained: 1, unexplained: [] });
  });

  it('reports any other field, an image no pin explains, and changes on other clusters', () => {
    const other = `registry.example.com/dj/echo:3@sha256:${'3'.repeat(64)}`;
    const diff = diffRenders(
      [deployment('staging', OLD), deployment('dev', OLD)],
      [deployment('staging', other, 2), deployment('dev', NEW)],
    );
    expect(provePromotion(diff, images).unexplained.map(({ cluster, field, reason }) => `${cluster} ${field}: ${reason}`)).toEqual([
      "dev spec.template.spec.containers[0].image: cluster 'dev' is not on the target stage",
      'staging spec.replicas: 1 → 2 is not an image field set from a promoted pin',
      `staging spec.template.spec.containers[0].image: ${OLD} → ${other} is not a promoted pin (the promotion replaces ${OLD} → ${NEW})`,
    ]);
  });

  it('reports an added object', () => {
    const proof = provePromotion(diffRenders([], [deployment('staging', NEW)]), images);
    expect(proof.unexplained).toEqual([
      { cluster: 'staging', object: 'Deployment dj/jazz', file: 'clusters/staging/apps/dj-api/Deployment_dj_jazz.yaml', field: '(object)', reason: 'added: a pin only changes image fields of existing objects' },
    ]);
  });

  describe('chart pins', () => {
    const DIGEST = `sha256:${'4'.repeat(64)}`;
    function ociSource(cluster: string, tag: string, digest?: string, interval = '1h'): RenderedObject {
      const object = {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'OCIRepository',
        metadata: { name: 'karpenter', namespace: 'karpenter' },
        spec: { interval, url: 'oci://public.ecr.aws/karpenter/karpenter', ref: { tag, ...(digest ? { digest } : {}) } },
      } as KubeObject;
      return { file: `clusters/${cluster}/infra-controllers/karpenter/OCIRepository.source.toolkit.fluxcd.io_karpenter_karpenter.yaml`, index: 0, object, cluster };
    }
    const move: ChartMove = { unit: 'karpenter', release: 'karpenter', from: { version: '1.14.1' }, to: { version: '1.14.2', digest: DIGEST } };
    const charts = new Map([['staging', [move]]]);
    const noImages = new Map([['staging', new Map<string, string>()]]);

    it("explains the OCIRepository tag and digest a promoted chart pin sets in its unit", () => {
      const proof = provePromotion(diffRenders([ociSource('staging', '1.14.1')], [ociSource('staging', '1.14.2', DIGEST)]), noImages, charts);
      expect(proof).toEqual({ explained: 2, unexplained: [] });
    });

    it('reports a version the pin does not set and an unrelated field of the same source', () => {
      const proof = provePromotion(diffRenders([ociSource('staging', '1.14.1')], [ociSource('staging', '1.15.0', DIGEST, '5m')]), noImages, charts);
      expect(proof.unexplained.map(({ field, reason }) => `${field}: ${reason}`)).toEqual([
        'spec.interval: "1h" → "5m" is not an image field set from a promoted pin',
        'spec.ref.tag: "1.14.1" → "1.15.0" is not the promoted chart pin ("1.14.1" → "1.14.2")',
      ]);
      expect(proof.explained).toBe(1);
    });

    it('explains a Crossplane package moved by its pin, and nothing else about the package', () => {
      const provider = (pkg: string): RenderedObject => ({
        file: 'clusters/staging/infra-controllers/crossplane.provider-aws-iam/Provider.pkg.crossplane.io_provider-aws-iam.yaml',
        index: 0,
        cluster: 'staging',
        object: { apiVersion: 'pkg.crossplane.io/v1', kind: 'Provider', metadata: { name: 'provider-aws-iam' }, spec: { package: pkg } } as KubeObject,
      });
      const packageMove = new Map([['staging', [{ unit: 'crossplane.provider-aws-iam', release: 'provider-aws-iam', from: { version: 'v2.6.0' }, to: { version: 'v2.6.0', digest: DIGEST } }]]]);
      const pinned = provePromotion(diffRenders([provider('xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0')], [provider(`xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0@${DIGEST}`)]), noImages, packageMove);
      expect(pinned).toEqual({ explained: 1, unexplained: [] });
      const swapped = provePromotion(diffRenders([provider('xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0')], [provider(`xpkg.upbound.io/evil/provider-aws-iam:v2.6.0@${DIGEST}`)]), noImages, packageMove);
      expect(swapped.unexplained).toHaveLength(1);
      expect(swapped.unexplained[0]!.reason).toMatch(/^"xpkg\.upbound\.io\/upbound\/provider-aws-iam:v2\.6\.0" → "xpkg\.upbound\.io\/evil\/provider-aws-iam:v2\.6\.0@sha256:4+\.\.\. is not the promoted chart pin/);
    });
  });
});
