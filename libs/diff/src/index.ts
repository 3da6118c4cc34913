export * from './lib/rendered-tree';
export * from './lib/ownership';
export * from './lib/field-diff';
export * from './lib/render-diff';
export * from './lib/stateful';
export * from './lib/guard';
export * from './lib/report';
export * from './lib/base-tree';
