export * from './lib/kyverno';
