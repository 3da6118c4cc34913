export * from './lib/aws-signer-root';
export * from './lib/image-signature-policy';
export * from './lib/lambda-code-signing';
export * from './lib/signer-provider';
export * from './lib/signing';
export * from './lib/ratify-verification';
