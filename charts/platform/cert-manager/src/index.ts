export * from './lib/cert-manager';
export * from './lib/cluster-issuer';
export * from './lib/dns-zone';
