// Public API. The AWS SDK is not loaded by importing this module (see lib/handler-entry.ts): synth imports the
// builders (targetInputFor, eventPatternFor, readArtifact, handlerPolicyStatements) without paying for it.
export { createHandler, handler } from './lib/handler-entry';
export type { HandlerOptions, InvocationContext, SyncHandler, SyncOutcome } from './lib/handler';
export type { ConfigurationOrigin } from './lib/configuration-source';
export type { SyncClients } from './lib/clients';
export type { LogEntry, LogSink } from './lib/log';
export * from './lib/event';
export * from './lib/target-input';
export * from './lib/hash';
export * from './lib/token';
export * from './lib/secret-value';
export * from './lib/artifact';
export * from './lib/iam';
