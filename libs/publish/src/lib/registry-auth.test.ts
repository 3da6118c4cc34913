import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { registryClient } from './registry-auth';
import { parseRegistry } from './registry-endpoint';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('registryClient', () => {
  it('asks ECR for a token through the AWS SDK in the registry’s region, and names the permission when that fails', async () => {
    // The real SDK, pointed at a closed port on this machine: no AWS call leaves the host.
    process.env.AWS_ENDPOINT_URL_ECR = `http://127.0.0.1:${await closedPort()}`;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCALTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-test';
    process.env.AWS_MAX_ATTEMPTS = '1';
    await expect(registryClient(parseRegistry('222222222222.dkr.ecr.eu-north-1.amazonaws.com/flotilla'))).rejects.toThrow(
      /^cannot get an ECR token for 222222222222\.dkr\.ecr\.eu-north-1\.amazonaws\.com \(ecr:GetAuthorizationToken in eu-north-1\): .*ECONNREFUSED.*; give the CI role ecr:GetAuthorizationToken/,
    );
  });

  it('does not call AWS for other registries', async () => {
    const client = await registryClient(parseRegistry('127.0.0.1:5000/flotilla'));
    expect(client.endpoint.host).toBe('127.0.0.1:5000');
  });
});
