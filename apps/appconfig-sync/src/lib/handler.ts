import { createClients, type SyncClients } from './clients';
import { resolveConfiguration, UnusableEventError, type ConfigurationOrigin } from './configuration-source';
import { parseSyncInput } from '@flotilla/appconfig-contract';
import { configurationHash, rollbackHash } from './hash';
import { createLogger, stdoutSink, type LogSink } from './log';
import { writeHash } from './secret-writer';
import { clientRequestTokenFor } from './token';

/** What one invocation did. Returned to the caller and logged. */
export type SyncOutcome =
  | {
      readonly status: 'written';
      readonly secretId: string;
      /** The value under `appconfig-version-hash`: the content hash, or on rollback its `rollbackHash`. */
      readonly hash: string;
      /** `configurationHash` of the configuration that is effective now. */
      readonly contentHash: string;
      readonly clientRequestToken: string;
      readonly versionId?: string;
      readonly origin: ConfigurationOrigin;
    }
  | { readonly status: 'unchanged'; readonly secretId: string; readonly hash: string; readonly contentHash: string; readonly origin: ConfigurationOrigin }
  /** The event type is not acted on, or a rollback has nothing to restore. */
  | { readonly status: 'ignored'; readonly reason: string }
  /** The input is malformed or inconsistent; retrying cannot help, so it is logged and dropped. */
  | { readonly status: 'rejected'; readonly reason: string };

export interface HandlerOptions {
  /**
   * AWS clients, or a factory called once on first use.
   *
   * @default - clients from {@link createClients}: region/credentials from the environment, standard retries
   */
  readonly clients?: SyncClients | (() => SyncClients);
  /**
   * Where structured log lines go.
   *
   * @default - one JSON object per line on stdout
   */
  readonly log?: LogSink;
}

/** The subset of the Lambda context the handler reads. */
export interface InvocationContext {
  readonly awsRequestId?: string;
}

export type SyncHandler = (input: unknown, context?: InvocationContext) => Promise<SyncOutcome>;

/**
 * Builds the Lambda handler: validate → read the deployed configuration → hash → compare → write.
 *
 * Malformed input is logged and dropped (no throw, so no retry loop). AWS errors that survive the SDK's retries are
 * logged and re-thrown, so Lambda's asynchronous retries and the dead-letter queue apply.
 */
export function createHandler(options: HandlerOptions = {}): SyncHandler {
  const sink = options.log ?? stdoutSink;
  let clients: SyncClients | undefined = typeof options.clients === 'object' ? options.clients : undefined;
  const clientsFor = (): SyncClients => {
    clients ??= typeof options.clients === 'function' ? options.clients() : createClients();
    return clients;
  };

  return async (input, context) => {
    const root = createLogger(sink, context?.awsRequestId ? { requestId: context.awsRequestId } : {});
    const parsed = parseSyncInput(input);
    if (!parsed.ok) {
      root.error('rejected malformed event; nothing written', { reason: parsed.reason, ...parsed.partial });
      return { status: 'rejected', reason: parsed.reason };
    }
    const { request } = parsed;
    const log = root.with({ ...request.identity, secretId: request.secretId, eventId: request.eventId, rule: request.rule });
    if (request.kind === 'ignored') {
      const reason = `event type ${request.identity.eventType} does not change the effective configuration`;
      log.info('ignored event', { reason });
      return { status: 'ignored', reason };
    }

    try {
      const resolved = await resolveConfiguration(clientsFor(), request.identity, request.kind);
      if (!resolved.found) {
        log.warn('nothing written', { reason: resolved.reason });
        return { status: 'ignored', reason: resolved.reason };
      }
      const contentHash = configurationHash(resolved.configuration);
      const hash = request.kind === 'rollback' && request.restartOnRollback ? rollbackHash(contentHash, request.identity.deploymentNumber) : contentHash;
      const clientRequestToken = clientRequestTokenFor(request.identity);
      const details = { hash, contentHash, origin: resolved.origin, contentType: resolved.configuration.contentType, bytes: resolved.configuration.content.byteLength };
      const result = await writeHash(clientsFor().secretsManager, { secretId: request.secretId, hash, clientRequestToken });
      if (!result.written) {
        log.info('hash unchanged; nothing written', details);
        return { status: 'unchanged', secretId: request.secretId, hash, contentHash, origin: resolved.origin };
      }
      log.info('wrote configuration hash', { ...details, clientRequestToken, versionId: result.versionId });
      return { status: 'written', secretId: request.secretId, hash, contentHash, clientRequestToken, versionId: result.versionId, origin: resolved.origin };
    } catch (error) {
      if (error instanceof UnusableEventError) {
        log.error('rejected inconsistent event; nothing written', { reason: error.message });
        return { status: 'rejected', reason: error.message };
      }
      log.error('AWS call failed; rethrowing for Lambda retry', errorFields(error));
      throw error;
    }
  };
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler: SyncHandler = createHandler();

function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number } }).$metadata;
  return {
    errorName: error.name,
    errorMessage: error.message,
    httpStatusCode: metadata?.httpStatusCode,
    awsRequestId: metadata?.requestId,
    attempts: metadata?.attempts,
  };
}
