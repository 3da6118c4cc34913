export * from './lib/crossplane';
