// Bundle entry for the Lambda (handler `index.handler`): loads the SDK and client-node during the init phase.
export { handler } from './lib/handler';
