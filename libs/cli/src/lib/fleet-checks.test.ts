import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBERNETES_VERSIONS, type KubernetesVersion } from '@flotilla/config';
import { fixtureCluster } from '@flotilla/core/testing';
import { findRepoRoot, type RenderedObject } from '@flotilla/model';
import { SchemaCatalog } from '@flotilla/schemas';
import { fleetChecks } from './fleet-checks';

const repoRoot = findRepoRoot(__dirname);

// Served from Kubernetes 1.35 (1.34 has only v1alpha1), so the version chosen decides the outcome.
const podCertificateRequest = (apiVersion: string): RenderedObject => ({
  file: 'clusters/edge/apps/demo/PodCertificateRequest.certificates.k8s.io_demo_web.yaml',
  index: 0,
  cluster: 'edge',
  object: {
    apiVersion,
    kind: 'PodCertificateRequest',
    metadata: { name: 'web', namespace: 'demo' },
    spec: {},
  },
});

function schemaFindings(kubernetesVersion: KubernetesVersion, object: RenderedObject) {
  const [schemas] = fleetChecks(join(repoRoot, 'policies'));
  const cluster = fixtureCluster('edge', [], { kubernetesVersion });
  return schemas!({ cluster, rendered: [object], all: () => [object], context: () => [object] });
}

describe('Kubernetes version of a cluster', () => {
  it('has schemas for exactly the versions a cluster may declare', () => {
    expect(SchemaCatalog.load().kubernetesVersions).toEqual([...KUBERNETES_VERSIONS]);
  });

  it('chooses the schemas: a 1.34 cluster is validated against Kubernetes 1.34', () => {
    // GIVEN a kind version that 1.35 serves and 1.34 does not
    const object = podCertificateRequest('certificates.k8s.io/v1beta1');
    // WHEN the schema check runs for a 1.35 and for a 1.34 cluster
    const on135 = schemaFindings('1.35', object).filter((f) => f.code === 'schema/unknown-kind');
    const on134 = schemaFindings('1.34', object);
    // THEN only the 1.34 cluster rejects it, pointing at the version 1.34 serves
    expect(on135).toEqual([]);
    expect(on134).toMatchObject([{ code: 'schema/unknown-kind', cluster: 'edge', fix: expect.stringContaining('certificates.k8s.io/v1alpha1') }]);
  });
});

describe('mutable references in the checks synth and validate share', () => {
  const gatewayApi: RenderedObject = {
    file: 'clusters/edge/infra-controllers/kong.gateway-api/GitRepository.source.toolkit.fluxcd.io_flux-system_gateway-api.yaml',
    index: 0,
    cluster: 'edge',
    object: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'gateway-api', namespace: 'flux-system' }, spec: { url: 'https://github.com/kubernetes-sigs/gateway-api', ref: { tag: 'v1.6.1' } } },
  };
  const run = (immutable: boolean) => {
    const cluster = fixtureCluster('edge', [], { release: { stage: immutable ? 'prod' : 'dev', immutable, exceptions: [] } });
    return fleetChecks(join(repoRoot, 'policies')).flatMap((check) => check({ cluster, rendered: [gatewayApi], all: () => [gatewayApi], context: () => [gatewayApi] }));
  };

  it("fails synth on a cluster of an immutable stage (the cluster's release), and not on a mutable one", () => {
    expect(run(true).filter((finding) => finding.code.startsWith('supply-chain/')).map((finding) => `${finding.code} ${finding.path}`)).toEqual(['supply-chain/mutable-reference spec.ref.tag']);
    expect(run(false).filter((finding) => finding.code.startsWith('supply-chain/'))).toEqual([]);
  });
});
