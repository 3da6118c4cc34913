export * from './lib/cluster';
export * from './lib/source-edit';
export * from './lib/fleet-layout';
export * from './lib/team';
export * from './lib/tenants-file';
export * from './lib/app';
export * from './lib/catalog-file';
