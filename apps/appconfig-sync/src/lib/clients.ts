import { AppConfigClient } from '@aws-sdk/client-appconfig';
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Retry policy for every client. Standard mode retries throttling (429, ThrottlingException, …), 5xx and network
 * errors with jittered exponential backoff; 5 attempts stay well inside a 30 s Lambda timeout. Everything else
 * (AccessDenied, validation, not found) surfaces at once so Lambda's async retries and the DLQ take over.
 */
export const SDK_RETRY = { maxAttempts: 5, retryMode: 'standard' } as const;

/** Socket limits, so a hung connection becomes a retryable timeout instead of eating the Lambda timeout. */
export const SDK_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 10_000 } as const;

export interface SyncClients {
  readonly appConfig: AppConfigClient;
  readonly appConfigData: AppConfigDataClient;
  readonly secretsManager: SecretsManagerClient;
}

/**
 * Clients for the Lambda. Region and credentials come from the Lambda environment; endpoints can be redirected with
 * the SDK's own `AWS_ENDPOINT_URL_APPCONFIG`, `AWS_ENDPOINT_URL_APPCONFIGDATA` and `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */
export function createClients(): SyncClients {
  const config = { ...SDK_RETRY, requestHandler: { ...SDK_TIMEOUTS } };
  return {
    appConfig: new AppConfigClient(config),
    appConfigData: new AppConfigDataClient(config),
    secretsManager: new SecretsManagerClient(config),
  };
}
