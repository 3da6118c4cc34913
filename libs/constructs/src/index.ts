export * from './lib/versions';
export * from './lib/iam-policy';
export * from './lib/aws-facts';
export * from './lib/removal-policy';
export * from './lib/helm-addon';
export * from './lib/controller-identity';
export * from './lib/identity-unit';
export * from './lib/iam-management';
