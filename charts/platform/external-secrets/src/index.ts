export * from './lib/external-secrets';
