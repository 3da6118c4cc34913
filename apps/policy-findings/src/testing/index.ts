// What the policy-findings tests and the cold-start script share: the test clusters, their config and constraints.
export * from './findings-fixtures';
