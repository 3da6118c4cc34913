export * from './lib/alert-rules';
export * from './lib/collector';
export * from './lib/metrics';
export * from './lib/scrape-jobs';
export * from './lib/workspace';
