export * from './lib/config-demo';
