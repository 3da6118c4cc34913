// The built Lambda's record (artifact.json). A separate entry point from the contract's index, so the Lambda,
// which imports the index, never bundles the metadata that describes its own bundle.
export * from './artifact';
