// Public API. Importing it does not load the AWS SDK or @kubernetes/client-node (see lib/handler-entry.ts): the
// platform chart imports the builders (config, IAM statements, artifact) at synth time without paying for them.
export { createHandler, handler } from './lib/handler-entry';
export type { FindingsHandler, HandlerOptions, InvocationContext, SyncSummary, ClusterFailure } from './lib/handler';
export type { ClusterSyncResult } from './lib/sync-cluster';
export type { LogEntry, LogSink } from './lib/log';
export * from './lib/config';
export * from './lib/artifact';
export * from './lib/iam';
