import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ECR_HOST } from '@flotilla/config';
import { PublishError } from './publish-error';
import { RegistryClient, type RegistryCredentials } from './registry-client';
import type { RegistryEndpoint } from './registry-endpoint';

/**
 * A client for the registry with the right credentials: Amazon ECR through the AWS SDK
 * (`GetAuthorizationToken` with the default credential chain: CI's OIDC role, a profile, or the
 * instance role), any other registry with the given credentials or anonymously.
 */
export async function registryClient(endpoint: RegistryEndpoint, credentials?: RegistryCredentials): Promise<RegistryClient> {
  const ecr = ECR_HOST.exec(endpoint.host);
  if (!ecr || credentials) return new RegistryClient(endpoint, credentials);
  return new RegistryClient(endpoint, await ecrCredentials(ecr[3]!, endpoint.host), true);
}

async function ecrCredentials(region: string, host: string): Promise<RegistryCredentials> {
  const client = new ECRClient({ region });
  try {
    const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
    const token = authorizationData?.[0]?.authorizationToken;
    if (!token) throw new Error('the response holds no authorization token');
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  } catch (error) {
    throw new PublishError(
      undefined,
      `cannot get an ECR token for ${host} (ecr:GetAuthorizationToken in ${region}): ${(error as Error).message}; give the CI role ecr:GetAuthorizationToken and push rights on the repository, or pass --registry for another registry`,
    );
  } finally {
    client.destroy();
  }
}
