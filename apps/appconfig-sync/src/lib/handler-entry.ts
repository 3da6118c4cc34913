import type { HandlerOptions, SyncHandler } from './handler';

/**
 * {@link import('./handler').createHandler} behind a dynamic import: the AWS SDK loads on the first invocation only,
 * so importing this application's index stays cheap. The Lambda bundle does not use
 * this; its entry (`src/lambda.ts`) loads the handler eagerly, during the init phase.
 */
export function createHandler(options?: HandlerOptions): SyncHandler {
  let loaded: Promise<SyncHandler> | undefined;
  return async (input, context) => {
    loaded ??= import('./handler').then((module) => module.createHandler(options));
    return (await loaded)(input, context);
  };
}

/** The Lambda handler with default clients (same behaviour as the bundle's `index.handler`). */
export const handler: SyncHandler = createHandler();
