import { createClients, type FindingsClients } from './clients';
import { CONFIG_ENV, parseConfig, type PolicyFindingsConfig } from '@flotilla/policy-findings-contract';
import { createLogger, stdoutSink, type LogSink } from './log';
import type { ImportOptions } from './security-hub';
import { syncCluster, type ClusterSyncResult } from './sync-cluster';

export interface InvocationContext {
  readonly awsRequestId?: string;
}

export interface ClusterFailure {
  readonly cluster: string;
  readonly error: string;
}

export interface SyncSummary {
  readonly synced: readonly ClusterSyncResult[];
  readonly failed: readonly ClusterFailure[];
}

/** Thrown after every cluster was tried when one of them failed, so the Lambda's Errors metric shows it. */
export class PolicyFindingsSyncError extends Error {
  constructor(readonly summary: SyncSummary) {
    super(`policy findings: ${summary.failed.length} of ${summary.failed.length + summary.synced.length} cluster(s) failed: ${summary.failed.map((f) => `${f.cluster} (${f.error})`).join('; ')}`);
    this.name = 'PolicyFindingsSyncError';
  }
}

export interface HandlerOptions {
  /** @default - parsed from the POLICY_FINDINGS_CONFIG environment variable */
  readonly config?: PolicyFindingsConfig;
  /** @default - createClients(config.region) */
  readonly clients?: FindingsClients;
  /** @default - one JSON object per line on stdout */
  readonly log?: LogSink;
  /** @default - now */
  readonly now?: () => Date;
  /** @default - 200 ms between rounds of re-sending FailedFindings */
  readonly importOptions?: ImportOptions;
}

export type FindingsHandler = (event?: unknown, context?: InvocationContext) => Promise<SyncSummary>;

/**
 * The scheduled handler (EventBridge `rate(10 minutes)`; the event itself carries nothing it needs). Clusters are
 * synced one after another; one that fails — unreachable API server, denied, timed out — is logged and the rest
 * still sync. The invocation then fails, so the failure is visible as a Lambda error.
 */
export function createHandler(options: HandlerOptions = {}): FindingsHandler {
  let state: { config: PolicyFindingsConfig; clients: FindingsClients; region: string } | undefined;
  return async (event, context) => {
    state ??= (() => {
      const config = options.config ?? parseConfig(process.env[CONFIG_ENV]);
      const region = config.region ?? process.env.AWS_REGION ?? '';
      if (!region) throw new Error(`${CONFIG_ENV}: no region, and AWS_REGION is not set`);
      return { config, region, clients: options.clients ?? createClients(region) };
    })();
    const { config, clients, region } = state;
    const log = createLogger(options.log ?? stdoutSink, { requestId: context?.awsRequestId, eventId: (event as { id?: string } | undefined)?.id });
    const synced: ClusterSyncResult[] = [];
    const failed: ClusterFailure[] = [];
    for (const target of config.clusters) {
      const clusterLog = log.with({ cluster: target.name });
      try {
        const result = await withTimeout(
          syncCluster({ target, account: config.account, region, clients, log: clusterLog, now: options.now, importOptions: options.importOptions }),
          config.clusterTimeoutMs ?? 25_000,
          `cluster '${target.name}' did not answer within ${config.clusterTimeoutMs ?? 25_000} ms`,
        );
        if (result.failed.length > 0) {
          clusterLog.error('security hub rejected findings', { failedFindings: result.failed });
          failed.push({ cluster: target.name, error: `${result.failed.length} finding(s) rejected by Security Hub: ${result.failed[0]!.errorCode}` });
        }
        synced.push(result);
        clusterLog.info('synced policy findings', { ...result, failed: result.failed.length });
      } catch (error) {
        const message = describeError(error);
        clusterLog.error('cluster sync failed', { error: message, errorName: (error as Error)?.name });
        failed.push({ cluster: target.name, error: message });
      }
    }
    const summary = { synced, failed };
    if (failed.length > 0) throw new PolicyFindingsSyncError(summary);
    return summary;
  };
}

/** An error's message with its network cause (`fetch failed` alone does not say ECONNREFUSED). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = (error as { code?: number | string }).code;
  const parts = [error.message.split('\n')[0]!];
  if (code !== undefined && !parts[0]!.includes(String(code))) parts.push(`code ${code}`);
  if (cause?.code || cause?.message) parts.push(`cause: ${cause.code ?? ''} ${cause.message ?? ''}`.trim());
  return parts.join('; ');
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The Lambda handler with clients and configuration from the environment. */
export const handler: FindingsHandler = createHandler();
