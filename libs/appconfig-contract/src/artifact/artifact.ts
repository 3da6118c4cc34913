import { validateLambdaArtifact, type LambdaArtifact } from '@flotilla/model';
import artifactJson from '../../artifact.json';

export { LAMBDA_HANDLER, LAMBDA_RUNTIME, type LambdaArtifact } from '@flotilla/model';

/** The committed record of the appconfig-sync Lambda's zip (`nx run appconfig-sync:bundle` writes it), checked for shape. */
export function readArtifact(): LambdaArtifact {
  return validateArtifact(artifactJson);
}

export function validateArtifact(value: unknown): LambdaArtifact {
  return validateLambdaArtifact(value, 'appconfig-sync');
}
