export * from './lib/reloader';
