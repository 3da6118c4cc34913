import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@flotilla/model';
import { evaluateTransitionRules } from './transitions';

const nodePool = (group: string, replicas?: number): KubeObject => ({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'general' },
  spec: {
    ...(replicas === undefined ? {} : { replicas }),
    template: { spec: { nodeClassRef: { group, kind: 'EC2NodeClass', name: 'default' }, requirements: [] } },
  },
});

describe('evaluateTransitionRules', () => {
  it('fails a change to an immutable field with the CRD message', () => {
    const findings = evaluateTransitionRules(nodePool('karpenter.k8s.aws'), nodePool('example.com'));
    expect(findings).toMatchObject([
      {
        severity: 'error',
        code: 'cel/immutable-field',
        object: 'NodePool general',
        path: 'spec.template.spec.nodeClassRef',
        message: 'field spec.template.spec.nodeClassRef is immutable, the controller will reject this change: nodeClassRef.group is immutable',
      },
    ]);
  });

  it('fails other transition rules with their own message', () => {
    const findings = evaluateTransitionRules(nodePool('karpenter.k8s.aws'), nodePool('karpenter.k8s.aws', 3));
    expect(findings.map((f) => [f.code, f.path, f.message])).toEqual([
      ['cel/transition-rule', 'spec', 'Cannot transition NodePool between static (replicas set) and dynamic (replicas unset) provisioning modes, the controller will reject this change'],
    ]);
  });

  it('accepts unchanged objects and built-in kinds', () => {
    expect(evaluateTransitionRules(nodePool('karpenter.k8s.aws'), nodePool('karpenter.k8s.aws'))).toEqual([]);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(evaluateTransitionRules(cm, { ...cm, data: { a: 'b' } } as KubeObject)).toEqual([]);
  });
});
