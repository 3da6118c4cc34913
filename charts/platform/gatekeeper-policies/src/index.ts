export * from './lib/constraint-templates';
export * from './lib/cluster-constraints';
export * from './lib/gatekeeper-policies-unit';
