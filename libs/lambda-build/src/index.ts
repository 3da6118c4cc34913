export * from './lib/build-lambda';
export * from './lib/run-bundle';
export * from './lib/zip';
