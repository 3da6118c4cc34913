export * from './local-registry';
