// Builds the policy-findings Lambda (through `nx run policy-findings:bundle`, or `tsx apps/policy-findings/tools/bundle.ts`): the shared
// build in @flotilla/lambda-build, with this app's entry, size budget and artifact record.
import path from 'node:path';
import { buildLambda, runBundleCli, type LambdaBundleOptions, type LambdaBundleResult } from '@flotilla/lambda-build';
import { findRepoRoot } from '@flotilla/model';

/**
 * Zip size budget in bytes. The bundle is about 545 KB zipped: @kubernetes/client-node (its generated API models and
 * undici, ~1.2 MB minified) does not tree-shake, the three SDK clients are ~0.5 MB. The budget leaves room for client
 * updates but stops an accidental dependency from growing cold starts unnoticed.
 */
export const ZIP_SIZE_BUDGET = 768 * 1024;

export const projectRoot = path.resolve(__dirname, '..');
export const workspaceRoot = findRepoRoot(projectRoot);
/** The committed record of the build, in the contract library the deploying chart reads it from. */
export const ARTIFACT_JSON = path.join(workspaceRoot, 'libs/policy-findings-contract/artifact.json');

export type BundleOptions = LambdaBundleOptions;
export type BundleResult = LambdaBundleResult;

export function bundle(options: BundleOptions = {}): Promise<BundleResult> {
  return buildLambda(
    {
      name: 'policy-findings',
      workspaceRoot,
      entry: path.join(projectRoot, 'src/lambda.ts'),
      artifactJson: ARTIFACT_JSON,
      sizeBudget: ZIP_SIZE_BUDGET,
    },
    options,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) runBundleCli('policy-findings', bundle);
