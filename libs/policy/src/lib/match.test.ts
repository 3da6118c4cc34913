import type { KubeObject } from '@flotilla/model';
import { describe, expect, it } from 'vitest';
import { constraintMatches, kindsMatch, labelSelectorMatches, wildcardMatches, type ConstraintMatch } from './match';
import { namespace, pod } from '../testing';

const clusterRole: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } };
const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web-1', namespace: 'team-a', labels: { app: 'web' } } };
const namespaces = new Map([['team-a', namespace('team-a', { env: 'prod' })], ['kube-system', namespace('kube-system')]]);
const lookup = (name: string) => namespaces.get(name);
const matches = (match: ConstraintMatch, object: KubeObject) => constraintMatches(match, object, null, lookup);

describe('constraint match', () => {
  it.each([
    ['kube-*', 'kube-system', true],
    ['kube-*', 'team-kube', false],
    ['*-system', 'kube-system', true],
    ['*-system', 'system-a', false],
    ['team-a', 'team-a', true],
    ['team-a', 'team-ab', false],
    ['*', 'anything', true],
  ])('wildcard %s on %s is %s', (pattern, value, expected) => {
    expect(wildcardMatches(pattern, value)).toBe(expected);
  });

  it('matches kinds by group, with * and the empty core group', () => {
    expect(kindsMatch([{ apiGroups: ['apps'], kinds: ['Deployment'] }], 'apps', 'Deployment')).toBe(true);
    expect(kindsMatch([{ apiGroups: ['apps'], kinds: ['Deployment'] }], 'extensions', 'Deployment')).toBe(false);
    expect(kindsMatch([{ apiGroups: [''], kinds: ['Pod'] }], '', 'Pod')).toBe(true);
    expect(kindsMatch([{ apiGroups: ['*'], kinds: ['*'] }], 'x.io', 'Y')).toBe(true);
    expect(kindsMatch([], 'x.io', 'Y')).toBe(true);
  });

  it('applies scope', () => {
    expect(matches({ scope: 'Cluster' }, clusterRole).matches).toBe(true);
    expect(matches({ scope: 'Cluster' }, namespace('team-a')).matches).toBe(true);
    expect(matches({ scope: 'Cluster' }, deployment).matches).toBe(false);
    expect(matches({ scope: 'Namespaced' }, deployment).matches).toBe(true);
    expect(matches({ scope: 'Namespaced' }, namespace('team-a')).matches).toBe(false);
    expect(matches({ scope: '*' }, clusterRole).matches).toBe(true);
  });

  it('never disqualifies cluster-scoped objects by namespaces or excludedNamespaces', () => {
    expect(matches({ namespaces: ['team-a'] }, clusterRole).matches).toBe(true);
    expect(matches({ excludedNamespaces: ['*'] }, clusterRole).matches).toBe(true);
  });

  it('uses a Namespace object its own name for namespaces and excludedNamespaces', () => {
    expect(matches({ namespaces: ['team-*'] }, namespace('team-a')).matches).toBe(true);
    expect(matches({ excludedNamespaces: ['kube-*'] }, namespace('kube-system')).matches).toBe(false);
  });

  it('applies namespace globs and exclusions to namespaced objects', () => {
    expect(matches({ namespaces: ['team-*'] }, deployment).matches).toBe(true);
    expect(matches({ namespaces: ['*-b'] }, deployment).matches).toBe(false);
    expect(matches({ excludedNamespaces: ['*-a'] }, deployment).matches).toBe(false);
  });

  it('applies labelSelector with matchLabels and every operator', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(labelSelectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'missing', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(() => labelSelectorMatches({ matchExpressions: [{ key: 'app', operator: 'Equals' }] }, labels)).toThrow(/In, NotIn, Exists or DoesNotExist/);
  });

  it('resolves namespaceSelector against the Namespace, a Namespace against itself', () => {
    expect(matches({ namespaceSelector: { matchLabels: { env: 'prod' } } }, deployment).matches).toBe(true);
    expect(matches({ namespaceSelector: { matchLabels: { env: 'dev' } } }, deployment).matches).toBe(false);
    expect(matches({ namespaceSelector: { matchLabels: { env: 'prod' } } }, namespace('team-a', { env: 'prod' })).matches).toBe(true);
    expect(matches({ namespaceSelector: { matchLabels: { env: 'prod' } } }, clusterRole).matches).toBe(true);
    expect(matches({ namespaceSelector: { matchLabels: { env: 'prod' } } }, pod('a', 'elsewhere'))).toEqual({ matches: false, error: expect.stringMatching(/missing Namespace "elsewhere"/) });
  });

  it('matches name globs on name or generateName', () => {
    expect(matches({ name: 'web-*' }, deployment).matches).toBe(true);
    expect(matches({ name: 'api-*' }, deployment).matches).toBe(false);
    expect(matches({ name: 'job-*' }, { ...pod('', 'team-a'), metadata: { name: '', namespace: 'team-a', generateName: 'job-' } }).matches).toBe(true);
  });

  it('treats rendered objects as original for match.source', () => {
    expect(matches({ source: 'Generated' }, deployment).matches).toBe(false);
    expect(matches({ source: 'Original' }, deployment).matches).toBe(true);
    expect(matches({ source: 'All' }, deployment).matches).toBe(true);
  });

  it('requires every criterion and matches when the old object matches', () => {
    expect(matches({ kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }], namespaces: ['team-b'] }, deployment).matches).toBe(false);
    expect(constraintMatches({ namespaces: ['team-a'] }, null, deployment, lookup).matches).toBe(true);
  });
});
