export * from './lib/cost-center-policy';
export * from './lib/account-policies-unit';
