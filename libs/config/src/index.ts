export * from './lib/duration';
export * from './lib/flux-settings';
export * from './lib/health-checks';
export * from './lib/unit';
export * from './lib/cluster-config';
export * from './lib/delivery';
export * from './lib/fleet';
export * from './lib/cluster-files';
