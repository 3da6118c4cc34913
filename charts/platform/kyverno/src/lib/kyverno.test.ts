import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import { kyverno } from './kyverno';

const cluster = fixtureCluster('prod', [], { account: '222222222222', region: 'eu-north-1' });
const spec = (object: KubeObject) => object.spec as Record<string, any>;

describe('kyverno', () => {
  it('installs chart kyverno 3.9.0 (app v1.19.0) with its CRDs after its identity', () => {
    expect(kyverno().map((unit) => [unit.name, unit.layer, unit.dependsOn ?? []])).toEqual([
      ['kyverno.identity', 'infra-controllers', ['ack.iam', 'ack.eks']],
      ['kyverno', 'infra-controllers', ['kyverno.identity']],
    ]);
    const release = findObject(renderUnits(kyverno({ replicas: 2 }), cluster).get('kyverno'), 'HelmRelease');
    expect(release.metadata.annotations).toEqual({ 'flotilla.dev/installs-crds': 'kyverno.io,policies.kyverno.io,reports.kyverno.io,wgpolicyk8s.io' });
    expect(spec(release)).toMatchObject({
      chart: { spec: { chart: 'kyverno', version: '3.9.0' } },
      values: {
        admissionController: { replicas: 2, rbac: { serviceAccount: { name: 'kyverno-admission-controller' } }, container: { resources: { requests: { memory: '384Mi' }, limits: { memory: '384Mi' } } } },
        features: { forceFailurePolicyIgnore: { enabled: false } },
      },
    });
  });

  it('lets the admission controller read images and signatures from this account only', () => {
    const objects = renderUnits(kyverno(), cluster).get('kyverno.identity');
    const association = findObject(objects, 'PodIdentityAssociation');
    expect(spec(association)).toMatchObject({ namespace: 'kyverno', serviceAccount: 'kyverno-admission-controller' });
    const policy = JSON.parse(Object.values(spec(findObject(objects, 'Role')).inlinePolicies as Record<string, string>)[0]!);
    expect(policy.Statement[1]).toMatchObject({ Resource: 'arn:aws:ecr:eu-north-1:222222222222:repository/*' });
  });

  it('fails if replicas is not a whole number of at least 1', () => {
    expect(() => kyverno({ replicas: 0 })).toThrow(/kyverno replicas is 0/);
  });
});
