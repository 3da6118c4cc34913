import { findingFor, type Finding, type LambdaArtifact, type RenderedObject } from '@flotilla/model';

/** A Lambda app's committed artifact record (what `nx run <app>:bundle` writes). */
export interface LambdaArtifactRecord {
  /** The Nx project that builds the zip, e.g. `appconfig-sync`; the zip is `<app>-<16 hex>.zip`. */
  readonly app: string;
  /** The record's path relative to the repository root, e.g. `libs/appconfig-contract/artifact.json`. */
  readonly file: string;
  readonly artifact: Pick<LambdaArtifact, 'fileName' | 'sha256'>;
}

const ACK_LAMBDA_GROUP = 'lambda.services.k8s.aws';

/**
 * Every ACK Lambda `Function` runs a zip this repository builds, and exactly the committed one: the last segment of
 * `spec.code.s3Key` is the `fileName` of its app's artifact record (the app is the key's `<app>-<hash>.zip` prefix),
 * and `spec.code.sha256`, when set, is the record's. CI uploads the zips the records name (artifacts workflow), so a
 * key that names another build points at an object that was never uploaded, or at an old one. Without records (a
 * repository that builds no Lambda) nothing is checked.
 */
export function checkLambdaArtifacts(objects: readonly RenderedObject[], records: readonly LambdaArtifactRecord[]): Finding[] {
  if (records.length === 0) return [];
  // Longest app name first, so `app-two-<hash>` is not taken for app `app`.
  const byApp = [...records].sort((a, b) => b.app.length - a.app.length);
  const findings: Finding[] = [];
  for (const rendered of objects) {
    const { object } = rendered;
    if (object.kind !== 'Function' || object.apiVersion.split('/')[0] !== ACK_LAMBDA_GROUP) continue;
    const code = (object.spec as { code?: { s3Key?: unknown; sha256?: unknown } } | undefined)?.code;
    if (typeof code?.s3Key !== 'string') continue; // an image or inline function: no zip of ours
    const key = code.s3Key;
    const fileName = key.slice(key.lastIndexOf('/') + 1);
    const record = byApp.find((candidate) => new RegExp(`^${candidate.app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{16}\\.zip$`).test(fileName));
    if (!record) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'lambda/unknown-artifact',
          path: 'spec.code.s3Key',
          message: `s3Key '${key}' is not a zip this repository builds (${records.map((r) => `${r.app}: ${r.artifact.fileName}`).join(', ')})`,
          fix: `point the Function at a committed artifact record (readArtifact() of the app's contract library), or build a new app with 'nx run <app>:bundle'`,
        }),
      );
      continue;
    }
    if (fileName !== record.artifact.fileName) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'lambda/stale-artifact',
          path: 'spec.code.s3Key',
          message: `s3Key '${key}' is not the committed build of ${record.app}: ${record.file} records '${record.artifact.fileName}', which is the zip CI uploads`,
          fix: `run 'nx run ${record.app}:bundle' and 'npm run synth', and commit ${record.file} with clusters/`,
        }),
      );
    } else if (code.sha256 !== undefined && code.sha256 !== record.artifact.sha256) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'lambda/stale-artifact',
          path: 'spec.code.sha256',
          message: `sha256 '${String(code.sha256)}' is not the committed build's (${record.file} records '${record.artifact.sha256}' for ${record.artifact.fileName})`,
          fix: `run 'nx run ${record.app}:bundle' and 'npm run synth', and commit ${record.file} with clusters/`,
        }),
      );
    }
  }
  return findings;
}
