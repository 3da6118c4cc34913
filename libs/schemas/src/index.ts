export * from './lib/crd-source';
