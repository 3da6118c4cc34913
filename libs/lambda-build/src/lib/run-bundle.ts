// Runs the built Lambda bundle once in a fresh Node process, the way the Lambda runtime would load it: require the
// file, call `handler(event, context)`. Used by the bundle test and the cold-start measurement.
import { spawn } from 'node:child_process';

export interface BundleRun {
  readonly result?: unknown;
  readonly error?: { name: string; message: string };
  /** The Node version of the child (`v24.x`). */
  readonly node: string;
  /** Time from process start to the end of `require(bundle)`, in ms (Node bootstrap + module init). */
  readonly initMs: number;
  /** `require(bundle)` alone, in ms. */
  readonly importMs: number;
  /** The first invocation, in ms (what the handler does first: clients, credentials, its calls). */
  readonly invokeMs: number;
  /** Spawn to exit, measured by the parent, in ms. */
  readonly wallMs: number;
  /** Every other stdout line, parsed: the handler's structured logs. */
  readonly logs: readonly Record<string, unknown>[];
  readonly stderr: string;
  readonly exitCode: number | null;
}

const RUNNER = `
const start = performance.now();
const mod = require(process.env.BUNDLE_PATH);
const loaded = performance.now();
const report = (fields) => process.stdout.write(JSON.stringify({ runner: { node: process.version, initMs: loaded, importMs: loaded - start, invokeMs: performance.now() - loaded, ...fields } }) + '\\n');
mod.handler(JSON.parse(process.env.LAMBDA_EVENT), { awsRequestId: 'local-invoke' }).then(
  (result) => report({ result }),
  (error) => { report({ error: { name: error.name, message: error.message } }); process.exitCode = 1; },
);
`;

/**
 * @param bundlePath absolute path of the bundle's `index.js`
 * @param env the only environment the child gets (plus PATH), e.g. FakeAws.sdkEnvironment()
 */
export function runBundle(bundlePath: string, event: unknown, env: Record<string, string>, nodeBinary = process.execPath): Promise<BundleRun> {
  const began = performance.now();
  const child = spawn(nodeBinary, ['-e', RUNNER], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, BUNDLE_PATH: bundlePath, LAMBDA_EVENT: JSON.stringify(event) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = performance.now() - began;
      const lines = stdout.split('\n').filter((line) => line.length > 0);
      let runner: Record<string, unknown> | undefined;
      const logs: Record<string, unknown>[] = [];
      for (const line of lines) {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return reject(new Error(`runBundle: stdout line is not one JSON object: ${line.slice(0, 200)}`));
        }
        if (parsed.runner) runner = parsed.runner as Record<string, unknown>;
        else logs.push(parsed);
      }
      if (!runner) return reject(new Error(`runBundle: the bundle did not report (exit ${exitCode}); stderr: ${stderr.slice(0, 2000)}`));
      resolve({ ...(runner as Omit<BundleRun, 'wallMs' | 'logs' | 'stderr' | 'exitCode'>), wallMs, logs, stderr, exitCode });
    });
  });
}
