/** Lambda runtime Flotilla's Lambdas target (nodejs24.x: supported until 2028-04; never nodejs20.x). */
export const LAMBDA_RUNTIME = 'nodejs24.x';
/** `index.js` exporting `handler`. */
export const LAMBDA_HANDLER = 'index.handler';

/**
 * A built Lambda zip, as `nx run <app>:bundle` records it in the app's contract library (`artifact.json`).
 * Synth references the artifact through this without building it.
 */
export interface LambdaArtifact {
  /** Zip file name under `dist/apps/<app>/`; carries the first 16 hex digits of the zip's SHA-256. */
  readonly fileName: string;
  /** Base64 of the binary SHA-256 of the zip: what Lambda reports as `CodeSha256` and ACK expects in `spec.code.sha256`. */
  readonly sha256: string;
  /** The same digest in hex. */
  readonly sha256Hex: string;
  /** Zip size in bytes. */
  readonly size: number;
  /** Size of the unpacked `index.js` in bytes. */
  readonly unpackedSize: number;
  /** The size budget the bundle target enforces on the zip, in bytes. */
  readonly sizeBudget: number;
  readonly runtime: typeof LAMBDA_RUNTIME;
  readonly handler: typeof LAMBDA_HANDLER;
  /** Path of the zip relative to the workspace root. */
  readonly path: string;
}

/**
 * Checks the shape of app `app`'s committed artifact record, so a hand-edited file fails here and not in AWS.
 *
 * @throws Error naming every wrong field and the command that regenerates the file
 */
export function validateLambdaArtifact(value: unknown, app: string): LambdaArtifact {
  const a = value as Record<string, unknown>;
  const problems: string[] = [];
  const fileName = new RegExp(`^${app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{16}\\.zip$`);
  if (typeof a?.fileName !== 'string' || !fileName.test(a.fileName)) problems.push('fileName');
  if (typeof a?.sha256 !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(a.sha256)) problems.push('sha256');
  if (typeof a?.sha256Hex !== 'string' || !/^[0-9a-f]{64}$/.test(a.sha256Hex)) problems.push('sha256Hex');
  for (const key of ['size', 'unpackedSize', 'sizeBudget'] as const) {
    if (typeof a?.[key] !== 'number' || !Number.isSafeInteger(a[key]) || (a[key] as number) <= 0) problems.push(key);
  }
  if (a?.runtime !== LAMBDA_RUNTIME) problems.push('runtime');
  if (a?.handler !== LAMBDA_HANDLER) problems.push('handler');
  if (typeof a?.path !== 'string' || a.path !== `dist/apps/${app}/${String(a.fileName)}`) problems.push('path');
  if (problems.length > 0) {
    throw new Error(`artifact.json: invalid field(s) ${problems.join(', ')}; regenerate it with \`nx run ${app}:bundle\``);
  }
  return a as unknown as LambdaArtifact;
}
