export * from './lib/controller-policy';
export * from './lib/controller-unit';
export * from './lib/disruption';
export * from './lib/ec2-node-class';
export * from './lib/karpenter';
export * from './lib/node-pool';
export * from './lib/node-pools-unit';
export * from './lib/spot-consolidation';
