export * from './lib/aws-load-balancer-controller';
export * from './lib/aws-load-balancer-controller-iam';
