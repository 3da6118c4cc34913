import { EKSClient } from '@aws-sdk/client-eks';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * Retry policy for every client. Standard mode retries throttling (429, ThrottlingException,
 * TooManyRequestsException), 5xx and network errors with jittered exponential backoff; the rest surfaces at once.
 */
export const SDK_RETRY = { maxAttempts: 5, retryMode: 'standard' } as const;

/** Socket limits, so a hung connection becomes a retryable timeout instead of eating the Lambda timeout. */
export const SDK_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 10_000 } as const;

export interface FindingsClients {
  readonly securityHub: SecurityHubClient;
  readonly eks: EKSClient;
  /** Not called: its resolved credentials and SHA-256 presign the EKS token. */
  readonly sts: STSClient;
}

/**
 * Clients from the Lambda environment (region, role credentials). Endpoints can be redirected with the SDK's
 * `AWS_ENDPOINT_URL_SECURITYHUB` and `AWS_ENDPOINT_URL_EKS`.
 */
export function createClients(region?: string): FindingsClients {
  const config = { ...SDK_RETRY, requestHandler: { ...SDK_TIMEOUTS }, ...(region ? { region } : {}) };
  return { securityHub: new SecurityHubClient(config), eks: new EKSClient(config), sts: new STSClient(config) };
}
