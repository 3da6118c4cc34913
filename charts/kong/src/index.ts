export * from './lib/kong';
