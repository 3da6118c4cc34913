export * from './lib/abac-policy';
export * from './lib/access-role';
export * from './lib/secret-stores-unit';
export * from './lib/secrets-kms';
