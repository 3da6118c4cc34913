import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoots } from '@flotilla/core';
import { validateLambdaArtifact, validateSignedLambdaArtifacts, type Finding, type SignedLambdaArtifacts } from '@flotilla/model';
import type { LambdaArtifactRecord } from '@flotilla/validate';

interface ProjectJson {
  readonly targets?: Record<string, { readonly outputs?: readonly string[] }>;
}

/**
 * The committed artifact record of every Lambda app: each Nx project whose `bundle` target declares an
 * `artifact.json` output (the record `nx run <app>:bundle` writes, e.g. `libs/appconfig-contract/artifact.json`).
 * The project's declared outputs are the one place the record's path is written, and Nx's cache relies on them.
 * Next to it, `artifact.signed.json` (the signed copies per cluster the artifacts workflow records), when it exists.
 */
export function readLambdaArtifactRecords(repoRoot: string): { records: LambdaArtifactRecord[]; findings: Finding[] } {
  const records: LambdaArtifactRecord[] = [];
  const findings: Finding[] = [];
  for (const [app, root] of [...findProjectRoots(repoRoot)].sort(([a], [b]) => a.localeCompare(b))) {
    const project = JSON.parse(readFileSync(join(repoRoot, root, 'project.json'), 'utf8')) as ProjectJson;
    const output = project.targets?.['bundle']?.outputs?.find((path) => /(^|\/)artifact\.json$/.test(path));
    if (!output) continue;
    const file = output.replace(/^\{workspaceRoot\}\//, '').replace(/^\{projectRoot\}\//, `${root}/`);
    if (!existsSync(join(repoRoot, file))) {
      findings.push({ severity: 'error', code: 'lambda/missing-artifact-record', file, message: `${root}/project.json: the bundle target of '${app}' declares ${file}, which does not exist`, fix: `run 'nx run ${app}:bundle' and commit ${file}` });
      continue;
    }
    const signedFile = signedRecordPath(file);
    let signed: SignedLambdaArtifacts | undefined;
    if (existsSync(join(repoRoot, signedFile))) {
      try {
        signed = validateSignedLambdaArtifacts(JSON.parse(readFileSync(join(repoRoot, signedFile), 'utf8')), app);
      } catch (error) {
        findings.push({ severity: 'error', code: 'lambda/invalid-artifact-record', file: signedFile, message: (error as Error).message, fix: 're-run the artifacts workflow (.github/workflows/artifacts.yml), which rewrites it' });
      }
    }
    try {
      records.push({ app, file, signedFile, artifact: validateLambdaArtifact(JSON.parse(readFileSync(join(repoRoot, file), 'utf8')), app), ...(signed ? { signed } : {}) });
    } catch (error) {
      // A malformed record is a finding of this run, like any other committed file.
      findings.push({ severity: 'error', code: 'lambda/invalid-artifact-record', file, message: (error as Error).message, fix: `run 'nx run ${app}:bundle' and commit ${file}` });
    }
  }
  return { records, findings };
}

/** The signed-package record of artifact record `file`: `artifact.signed.json` in the same folder. */
export function signedRecordPath(file: string): string {
  return file.replace(/artifact\.json$/, 'artifact.signed.json');
}
