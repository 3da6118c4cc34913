export * from './lib/kube-object';
export * from './lib/rendered-object';
export * from './lib/finding';
export * from './lib/repo-root';
export * from './lib/api-groups';
export * from './lib/annotations';
export * from './lib/lambda-artifact';
export * from './lib/iam-policy';
