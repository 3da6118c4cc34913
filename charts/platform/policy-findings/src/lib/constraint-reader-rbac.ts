import { Construct } from 'constructs';
import * as k8s from '@flotilla/k8s-apis/k8s';

/** Kubernetes group the Lambda's EKS access entry maps its role to (EKS forbids the `system:` prefix). */
export const FINDINGS_READER_GROUP = 'flotilla:policy-findings-readers';
export const FINDINGS_READER_ROLE = 'flotilla-policy-findings-reader';

/**
 * Read-only access to Gatekeeper constraints (their audit status), nothing else: get/list on every resource of
 * `constraints.gatekeeper.sh`. The constraint kinds are found by API discovery, which every authenticated user may
 * call (`system:discovery`), so ConstraintTemplates need no grant.
 */
export class ConstraintReaderRbac extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubeClusterRole(this, 'Role', {
      metadata: { name: FINDINGS_READER_ROLE },
      rules: [{ apiGroups: ['constraints.gatekeeper.sh'], resources: ['*'], verbs: ['get', 'list'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'Binding', {
      metadata: { name: FINDINGS_READER_ROLE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: FINDINGS_READER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: FINDINGS_READER_GROUP }],
    });
  }
}
