export * from './lib/crd-source';
export * from './lib/builtin-scope';
export * from './lib/catalog';
