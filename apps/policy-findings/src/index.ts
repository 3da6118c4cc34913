// Public API of the Lambda application (nothing imports an app; the chart reads the shared contract instead).
// Importing it does not load the AWS SDK or @kubernetes/client-node (see lib/handler-entry.ts).
export { createHandler, handler } from './lib/handler-entry';
export type { FindingsHandler, HandlerOptions, InvocationContext, SyncSummary, ClusterFailure } from './lib/handler';
export type { ClusterSyncResult } from './lib/sync-cluster';
export type { LogEntry, LogSink } from './lib/log';
