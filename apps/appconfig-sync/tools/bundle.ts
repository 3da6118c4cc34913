// Builds the appconfig-sync Lambda (through `nx run appconfig-sync:bundle`, or `tsx apps/appconfig-sync/tools/bundle.ts`): the shared
// build in @flotilla/lambda-build, with this app's entry, size budget and artifact record.
import path from 'node:path';
import { buildLambda, runBundleCli, type LambdaBundleOptions, type LambdaBundleResult } from '@flotilla/lambda-build';
import { findRepoRoot } from '@flotilla/model';

/**
 * Zip size budget in bytes. The bundle (SDK clients included, minified) is about 110 KB zipped; the budget leaves
 * room for SDK updates but stops an accidental dependency (or a lost tree-shake) from growing cold starts unnoticed.
 */
export const ZIP_SIZE_BUDGET = 256 * 1024;

export const projectRoot = path.resolve(__dirname, '..');
export const workspaceRoot = findRepoRoot(projectRoot);
/** The committed record of the build, in the contract library the deploying chart reads it from. */
export const ARTIFACT_JSON = path.join(workspaceRoot, 'libs/appconfig-contract/artifact.json');

export type BundleOptions = LambdaBundleOptions;
export type BundleResult = LambdaBundleResult;

export function bundle(options: BundleOptions = {}): Promise<BundleResult> {
  return buildLambda(
    {
      name: 'appconfig-sync',
      workspaceRoot,
      entry: path.join(projectRoot, 'src/lambda.ts'),
      artifactJson: ARTIFACT_JSON,
      sizeBudget: ZIP_SIZE_BUDGET,
    },
    options,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) runBundleCli('appconfig-sync', bundle);
