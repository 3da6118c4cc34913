import { validateLambdaArtifact, validateSignedLambdaArtifacts, type LambdaArtifact, type SignedLambdaArtifacts } from '@flotilla/model';
import artifactJson from '../../artifact.json';
import signedJson from '../../artifact.signed.json';

export { LAMBDA_HANDLER, LAMBDA_RUNTIME, type LambdaArtifact, type SignedLambdaArtifacts } from '@flotilla/model';

/** The committed record of the policy-findings Lambda's zip (`nx run policy-findings:bundle` writes it), checked for shape. */
export function readArtifact(): LambdaArtifact {
  return validateArtifact(artifactJson);
}

export function validateArtifact(value: unknown): LambdaArtifact {
  return validateLambdaArtifact(value, 'policy-findings');
}

/**
 * The committed record of the policy-findings zip's signed copies, one per cluster (`artifact.signed.json`, written by
 * `flotilla signed-artifacts` in the artifacts workflow), checked for shape.
 */
export function readSignedArtifacts(): SignedLambdaArtifacts {
  return validateSignedLambdaArtifacts(signedJson, 'policy-findings');
}
