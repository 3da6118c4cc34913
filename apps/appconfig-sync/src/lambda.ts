// Bundle entry for the Lambda (handler `index.handler`). Kept apart from index.ts so the bundle never includes the
// build metadata (artifact.json) that describes it.
export { handler } from './lib/handler';
