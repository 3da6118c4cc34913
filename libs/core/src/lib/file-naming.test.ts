import { describe, expect, it } from 'vitest';
import { fileNameFor } from './file-naming';

describe('fileNameFor', () => {
  it('uses the bare kind for built-in groups and adds the group for custom resources', () => {
    expect(fileNameFor({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team-a' } })).toBe('Deployment_team-a_web.yaml');
    expect(fileNameFor({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } })).toBe('Namespace_team-a.yaml');
    expect(fileNameFor({ apiVersion: 'iam.services.k8s.aws/v1alpha1', kind: 'Role', metadata: { name: 'web', namespace: 'team-a' } })).toBe(
      'Role.iam.services.k8s.aws_team-a_web.yaml',
    );
  });

  it('never gives two identities the same file', () => {
    // An RBAC Role and an ACK IAM Role with the same name, and names containing dots.
    const names = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'web', namespace: 'a' } },
      { apiVersion: 'iam.services.k8s.aws/v1alpha1', kind: 'Role', metadata: { name: 'web', namespace: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b.c', namespace: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a.b' } },
    ].map(fileNameFor);
    expect(new Set(names).size).toBe(names.length);
  });
});
