export * from './lib/catalog';
export * from './lib/requirements';
export * from './lib/spot-diversity';
export * from './lib/ec2-mapping';
