import { validateLambdaArtifact, type LambdaArtifact } from '@flotilla/model';
import artifactJson from '../../artifact.json';

export { LAMBDA_HANDLER, LAMBDA_RUNTIME, type LambdaArtifact } from '@flotilla/model';

/** The committed record of the policy-findings Lambda's zip (`nx run policy-findings:bundle` writes it), checked for shape. */
export function readArtifact(): LambdaArtifact {
  return validateArtifact(artifactJson);
}

export function validateArtifact(value: unknown): LambdaArtifact {
  return validateLambdaArtifact(value, 'policy-findings');
}
