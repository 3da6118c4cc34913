// The contract between the appconfig-sync Lambda (apps/appconfig-sync) and the chart that deploys it
// (charts/platform/appconfig-sync): the EventBridge event pattern and the input it hands the Lambda, the
// secret's hash key, and the IAM statements the handler needs. The artifact record is in ./artifact.
export * from './lib/event';
export * from './lib/target-input';
export * from './lib/secret-value';
export * from './lib/iam';
