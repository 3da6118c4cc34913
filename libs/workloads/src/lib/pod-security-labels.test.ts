import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { podSecurityLabels } from './pod-security-labels';
import { Team } from './team';

describe('Pod Security Admission labels', () => {
  test('enforce, audit and warn restricted, each pinned to the cluster version', () => {
    expect(podSecurityLabels('1.35')).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.35',
    });
  });

  test('an exemption lowers enforce only, and needs a reason', () => {
    expect(podSecurityLabels('1.34', { enforce: 'baseline', reason: 'legacy agent' })).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' });
    expect(() => podSecurityLabels('1.34', { enforce: 'privileged', reason: ' ' })).toThrow(/'podSecurity.reason' is empty; name the workload that needs 'privileged' and why/);
    expect(() => podSecurityLabels('latest')).toThrow(/'kubernetesVersion' \('latest'\) must be a minor version such as '1.35'/);
  });

  test('the Team namespace carries them with the exemption reason', () => {
    const chart = Testing.chart();
    new Team(chart, 'Team', { config: { name: 'imagegen', costCenter: 'cc-2001', group: 'imagegen-developers', podSecurity: { enforce: 'privileged', reason: 'comfyui hostPath' } }, kubernetesVersion: '1.35' });
    const ns = Testing.synth(chart).find((o) => o.kind === 'Namespace')!;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
    expect(ns.metadata.annotations).toEqual({ 'flotilla.dev/pod-security-exemption': 'comfyui hostPath', 'flotilla.dev/people-access': 'edit-no-secrets' });
  });
});
