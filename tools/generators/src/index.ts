export * from './lib/cluster';
export * from './lib/source-edit';
export * from './lib/fleet-layout';
