export * from './lib/config-demo';
export * from './lib/settings-schema';
