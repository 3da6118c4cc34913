export * from './lib/parse';
export * from './lib/schema-validator';
export * from './lib/references';
export * from './lib/secrets';
export * from './lib/transitions';
export { isNamespacedKind, BUILTIN_NAMESPACES } from './lib/cluster-index';
export { INSTALLS_CRDS_ANNOTATION } from './lib/flux-references';
export { isQuantity, suggestQuantity } from './lib/formats';
export { applyDefaults } from './lib/defaults';
