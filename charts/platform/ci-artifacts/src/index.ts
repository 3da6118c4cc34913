export * from './lib/github-oidc';
export * from './lib/artifacts-bucket';
export * from './lib/ci-role';
export * from './lib/platform-unit';
