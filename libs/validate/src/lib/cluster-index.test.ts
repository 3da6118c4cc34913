import { describe, expect, it } from 'vitest';
import { isNamespacedKind } from './cluster-index';

describe('isNamespacedKind', () => {
  it('knows built-in and CRD scopes and says undefined for unknown kinds', () => {
    expect(isNamespacedKind('apps/v1', 'Deployment')).toBe(true);
    expect(isNamespacedKind('v1', 'Namespace')).toBe(false);
    expect(isNamespacedKind('karpenter.sh/v1', 'NodePool')).toBe(false);
    expect(isNamespacedKind('external-secrets.io/v1', 'ExternalSecret')).toBe(true);
    expect(isNamespacedKind('admissionregistration.k8s.io/v1', 'MutatingAdmissionPolicy')).toBe(false);
    expect(isNamespacedKind('example.com/v1', 'Widget')).toBeUndefined();
  });
});
