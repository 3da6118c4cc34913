import { findingFor, signedObjectName, type Finding, type LambdaArtifact, type RenderedObject, type SignedLambdaArtifacts } from '@flotilla/model';

/** A Lambda app's committed artifact records (what `nx run <app>:bundle` and the artifacts workflow write). */
export interface LambdaArtifactRecord {
  /** The Nx project that builds the zip, e.g. `appconfig-sync`; the zip is `<app>-<16 hex>.zip`. */
  readonly app: string;
  /** The record's path relative to the repository root, e.g. `libs/appconfig-contract/artifact.json`. */
  readonly file: string;
  readonly artifact: Pick<LambdaArtifact, 'fileName' | 'sha256'>;
  /** Path of the signed-package record next to it (`artifact.signed.json`), whether or not it exists. */
  readonly signedFile: string;
  /** Its content: the signed copies per cluster (absent: nothing signed yet). */
  readonly signed?: SignedLambdaArtifacts;
}

const ACK_LAMBDA_GROUP = 'lambda.services.k8s.aws';

interface Code {
  readonly s3Key?: unknown;
  readonly sha256?: unknown;
}

/**
 * Every ACK Lambda `Function` runs a zip this repository builds, and exactly the committed one: the last segment of
 * `spec.code.s3Key` is the `fileName` of its app's artifact record (the app is the key's `<app>-<hash>.zip` prefix).
 * The key is the zip or its signed copy (`signed/<fileName>`, which the artifacts workflow signs per cluster and
 * records in `artifact.signed.json`); `spec.code.sha256`, when set, is the digest of that very package, because ACK
 * compares it with the deployed package's `CodeSha256` to decide on UpdateFunctionCode. A Function whose
 * CodeSigningConfig (rendered in its cluster) says `Enforce` must run the signed copy: Lambda rejects the zip.
 * Without records (a repository that builds no Lambda) nothing is checked.
 */
export function checkLambdaArtifacts(objects: readonly RenderedObject[], records: readonly LambdaArtifactRecord[]): Finding[] {
  if (records.length === 0) return [];
  // Longest app name first, so `app-two-<hash>` is not taken for app `app`.
  const byApp = [...records].sort((a, b) => b.app.length - a.app.length);
  const enforcing = enforcingConfigs(objects);
  const findings: Finding[] = [];
  for (const rendered of objects) {
    const { object } = rendered;
    if (object.kind !== 'Function' || object.apiVersion.split('/')[0] !== ACK_LAMBDA_GROUP) continue;
    const code = (object.spec as { code?: Code } | undefined)?.code;
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
      continue;
    }
    const finding = key.endsWith(`/${signedObjectName(fileName)}`) || key === signedObjectName(fileName) ? checkSigned(rendered, code, record) : checkUnsigned(rendered, code, record, enforcing);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** The cluster's signed copy of the record's build, if the artifacts workflow recorded one. */
function signedEntry(record: LambdaArtifactRecord, cluster: string | undefined) {
  return record.signed?.fileName === record.artifact.fileName && cluster !== undefined ? record.signed.clusters[cluster] : undefined;
}

function checkSigned(rendered: RenderedObject, code: Code, record: LambdaArtifactRecord): Finding | undefined {
  const entry = signedEntry(record, rendered.cluster);
  const signedFile = record.signedFile;
  if (!entry) {
    return findingFor(rendered, {
      severity: 'error',
      code: 'lambda/missing-signed-package',
      path: 'spec.code.s3Key',
      message: `s3Key '${String(code.s3Key)}' names the signed copy of ${record.artifact.fileName}, but ${signedFile} records no signed package of that build for cluster ${rendered.cluster ?? '(none)'}`,
      fix: `run the artifacts workflow (.github/workflows/artifacts.yml) on the pull request that changed ${record.file}; it signs the zip per cluster and commits ${signedFile}; then 'npm run synth'`,
    });
  }
  if (code.sha256 !== undefined && code.sha256 !== entry.sha256) {
    return findingFor(rendered, {
      severity: 'error',
      code: 'lambda/stale-artifact',
      path: 'spec.code.sha256',
      message: `sha256 '${String(code.sha256)}' is not the signed package's (${signedFile} records '${entry.sha256}' for cluster ${rendered.cluster}), so ACK would compare it with the wrong CodeSha256`,
      fix: `run 'npm run synth' and commit clusters/`,
    });
  }
  return undefined;
}

function checkUnsigned(rendered: RenderedObject, code: Code, record: LambdaArtifactRecord, enforcing: ReadonlySet<string>): Finding | undefined {
  const ref = (rendered.object.spec as { codeSigningConfigRef?: { from?: { name?: unknown; namespace?: unknown } } }).codeSigningConfigRef?.from;
  const namespace = typeof ref?.namespace === 'string' ? ref.namespace : (rendered.object.metadata.namespace ?? 'default');
  if (typeof ref?.name === 'string' && enforcing.has(`${rendered.cluster}/${namespace}/${ref.name}`)) {
    const signedFile = record.signedFile;
    const recorded = signedEntry(record, rendered.cluster) !== undefined;
    return findingFor(rendered, {
      severity: 'error',
      code: 'lambda/unsigned-package',
      path: 'spec.code.s3Key',
      message: recorded
        ? `s3Key '${String(code.s3Key)}' is the unsigned zip of ${record.app}, which CodeSigningConfig ${namespace}/${ref.name} (Enforce) makes Lambda reject; ${signedFile} records its signed copy for cluster ${rendered.cluster}`
        : `s3Key '${String(code.s3Key)}' is the unsigned zip of ${record.app}, which CodeSigningConfig ${namespace}/${ref.name} (Enforce) makes Lambda reject, and ${signedFile} records no signed package of ${record.artifact.fileName} for cluster ${rendered.cluster}`,
      fix: recorded
        ? `run 'npm run synth' and commit clusters/`
        : `run the artifacts workflow (.github/workflows/artifacts.yml) on the pull request that changed ${record.file}; it signs the zip in cluster ${rendered.cluster}'s account and commits ${signedFile}; then 'npm run synth'`,
    });
  }
  if (code.sha256 !== undefined && code.sha256 !== record.artifact.sha256) {
    return findingFor(rendered, {
      severity: 'error',
      code: 'lambda/stale-artifact',
      path: 'spec.code.sha256',
      message: `sha256 '${String(code.sha256)}' is not the committed build's (${record.file} records '${record.artifact.sha256}' for ${record.artifact.fileName})`,
      fix: `run 'nx run ${record.app}:bundle' and 'npm run synth', and commit ${record.file} with clusters/`,
    });
  }
  return undefined;
}

/** `<cluster>/<namespace>/<name>` of every rendered ACK CodeSigningConfig with `untrustedArtifactOnDeployment: Enforce`. */
function enforcingConfigs(objects: readonly RenderedObject[]): Set<string> {
  const keys = new Set<string>();
  for (const { object, cluster } of objects) {
    if (object.kind !== 'CodeSigningConfig' || object.apiVersion.split('/')[0] !== ACK_LAMBDA_GROUP) continue;
    const action = (object.spec as { codeSigningPolicies?: { untrustedArtifactOnDeployment?: unknown } } | undefined)?.codeSigningPolicies?.untrustedArtifactOnDeployment;
    if (action === 'Enforce') keys.add(`${cluster}/${object.metadata.namespace ?? 'default'}/${object.metadata.name}`);
  }
  return keys;
}
