import type { FindingsHandler, HandlerOptions } from './handler';

/**
 * {@link import('./handler').createHandler} behind a dynamic import: the AWS SDK and @kubernetes/client-node load
 * on the first invocation only, so synth can import the package for its builders (IAM, artifact, config) cheaply.
 */
export function createHandler(options?: HandlerOptions): FindingsHandler {
  let loaded: Promise<FindingsHandler> | undefined;
  return async (event, context) => {
    loaded ??= import('./handler').then((module) => module.createHandler(options));
    return (await loaded)(event, context);
  };
}

/** The Lambda handler with default clients (same behaviour as the bundle's `index.handler`). */
export const handler: FindingsHandler = createHandler();
