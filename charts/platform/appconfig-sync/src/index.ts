export * from './lib/binding-spec';
export * from './lib/latency-budget';
export * from './lib/binding-resources';
export * from './lib/sync-function';
export * from './lib/appconfig-provider';
export * from './lib/platform-unit';
export * from './lib/binding';
