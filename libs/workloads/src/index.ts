export * from './lib/validation-error';
export * from './lib/quantities';
export * from './lib/image-reference';
export * from './lib/tenant-labels';
export * from './lib/team-network-policies';
export * from './lib/team-flux-tenant';
export * from './lib/team-secret-store';
export * from './lib/team';
