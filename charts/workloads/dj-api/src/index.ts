export * from './lib/dj-api';
