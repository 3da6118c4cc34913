// Public API of the Lambda application. The AWS SDK is not loaded by importing this module (see
// lib/handler-entry.ts). What the chart that deploys it needs (event pattern, input, hash key, IAM
// statements, artifact) is in @flotilla/appconfig-contract.
export { createHandler, handler } from './lib/handler-entry';
export type { HandlerOptions, InvocationContext, SyncHandler, SyncOutcome } from './lib/handler';
export type { ConfigurationOrigin } from './lib/configuration-source';
export type { SyncClients } from './lib/clients';
export type { LogEntry, LogSink } from './lib/log';
export * from './lib/hash';
export * from './lib/token';
