export * from './lib/ack';
export * from './lib/bootstrap';
export * from './lib/permissions';
export * from './lib/sqs-permissions';
export * from './lib/prometheus-permissions';
export * from './lib/alarm-permissions';
