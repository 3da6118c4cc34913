export * from './lib/crd-source';
export * from './lib/builtin-scope';
export * from './lib/catalog';
export * from './lib/helm-values-source';
export * from './lib/helm-values';
