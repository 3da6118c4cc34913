export * from './lib/ratify';
