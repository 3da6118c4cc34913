export * from './lib/flux-notifications';
export * from './lib/github-repository';
