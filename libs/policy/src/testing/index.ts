// What the policy tests share: small Gatekeeper objects and the workspace's policy library.
export * from './policy-objects';
export * from './workspace-policies';
