import { describe, expect, it } from 'vitest';
import { diffRenders } from '@flotilla/diff';
import type { KubeObject, RenderedObject } from '@flotilla/model';
import { provePromotion } from './promotion-proof';

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
});
