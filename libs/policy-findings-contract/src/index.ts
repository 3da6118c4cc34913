// The one mapping from a Gatekeeper violation to ASFF, shared by the policy-findings Lambda (audit results) and
// `flotilla policy report --format asff` (pre-merge results). Dependency-free: it is bundled into the Lambda.
export * from './lib/severity';
export * from './lib/violation';
export * from './lib/asff';
export * from './lib/config';
export * from './lib/iam';
