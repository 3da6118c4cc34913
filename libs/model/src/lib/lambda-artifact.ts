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

/** One cluster's signed copy of a zip: what AWS Signer wrote for that cluster's `flotilla_lambda` profile. */
export interface SignedLambdaPackage {
  /** Base64 of the binary SHA-256 of the signed zip: Lambda's `CodeSha256` once it is deployed, hence `spec.code.sha256`. */
  readonly sha256: string;
  /** The same digest in hex. */
  readonly sha256Hex: string;
  /** Size of the signed zip in bytes. */
  readonly size: number;
}

/**
 * An app's signed packages (`artifact.signed.json` next to `artifact.json`), written by `flotilla signed-artifacts`
 * in the artifacts workflow after AWS Signer signed the zip in each cluster's account. Signing adds a signature
 * (profile, time) to the zip, so its bytes and digest are known only afterwards, and differ per cluster.
 */
export interface SignedLambdaArtifacts {
  /** The unsigned build that was signed (`fileName` of `artifact.json`); a record of another build is stale. */
  readonly fileName: string;
  /**
   * `true` in the example fleet's records: its accounts are placeholders and nothing was signed, so the digests are
   * placeholders too (never deployable). The artifacts workflow replaces the file with real digests.
   */
  readonly example?: boolean;
  /** Per cluster name. */
  readonly clusters: Readonly<Record<string, SignedLambdaPackage>>;
}

/** Object name of the signed copy of zip `fileName`, under the cluster's artifacts prefix. */
export function signedObjectName(fileName: string): string {
  return `signed/${fileName}`;
}

/** The package a cluster's Function deploys: the signed copy when the record has one for this build, else the zip. */
export function deployedPackage(artifact: Pick<LambdaArtifact, 'fileName' | 'sha256'>, signed: SignedLambdaArtifacts | undefined, cluster: string): { objectName: string; sha256: string; signed: boolean } {
  const entry = signed?.fileName === artifact.fileName ? signed.clusters[cluster] : undefined;
  return entry ? { objectName: signedObjectName(artifact.fileName), sha256: entry.sha256, signed: true } : { objectName: artifact.fileName, sha256: artifact.sha256, signed: false };
}

/**
 * Checks the shape of app `app`'s committed signed-package record.
 *
 * @throws Error naming every wrong field and how to regenerate the file
 */
export function validateSignedLambdaArtifacts(value: unknown, app: string): SignedLambdaArtifacts {
  const a = value as Record<string, unknown>;
  const problems: string[] = [];
  const fileName = new RegExp(`^${app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{16}\\.zip$`);
  if (typeof a?.fileName !== 'string' || !fileName.test(a.fileName)) problems.push('fileName');
  if (a?.example !== undefined && typeof a.example !== 'boolean') problems.push('example');
  const clusters = a?.clusters as Record<string, Record<string, unknown>> | undefined;
  if (typeof clusters !== 'object' || clusters === null || Array.isArray(clusters)) problems.push('clusters');
  else {
    for (const [name, entry] of Object.entries(clusters)) {
      if (typeof entry?.sha256 !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(entry.sha256)) problems.push(`clusters.${name}.sha256`);
      else if (typeof entry.sha256Hex !== 'string' || Buffer.from(entry.sha256, 'base64').toString('hex') !== entry.sha256Hex) problems.push(`clusters.${name}.sha256Hex`);
      if (typeof entry?.size !== 'number' || !Number.isSafeInteger(entry.size) || entry.size <= 0) problems.push(`clusters.${name}.size`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`artifact.signed.json: invalid field(s) ${problems.join(', ')}; it is written by 'flotilla signed-artifacts' in the artifacts workflow (.github/workflows/artifacts.yml), re-run that workflow`);
  }
  return a as unknown as SignedLambdaArtifacts;
}
