export * from './lib/findings-function';
export * from './lib/constraint-reader-rbac';
export * from './lib/platform-unit';
