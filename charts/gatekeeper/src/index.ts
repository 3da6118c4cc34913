export * from './lib/gatekeeper';
