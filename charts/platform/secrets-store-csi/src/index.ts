export * from './lib/secrets-store-csi';
