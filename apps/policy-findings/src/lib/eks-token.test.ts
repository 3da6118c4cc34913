import { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { checkEksToken } from '../../tools/fake-kube';
import { eksToken } from './eks-token';

const credentials = { accessKeyId: 'AKIDEXAMPLEFAKE', secretAccessKey: 'fake-secret-access-key' };
const sts = new STSClient({ region: 'eu-north-1', credentials });

describe('eksToken', () => {
  it('is a k8s-aws-v1. base64url presigned STS GetCallerIdentity URL bound to the cluster, expiring in 60 s', async () => {
    const token = await eksToken({ clusterName: 'prod-eks', region: 'eu-north-1', credentials, sha256: sts.config.sha256, signingDate: new Date('2026-12-04T10:00:00Z') });
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    expect(url.origin).toBe('https://sts.eu-north-1.amazonaws.com');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLEFAKE/20261204/eu-north-1/sts/aws4_request',
      'X-Amz-Date': '20261204T100000Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
    });
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // The signature verifies for prod-eks (with node:crypto HMAC, not the SDK's hash) and for no other cluster.
    expect(await checkEksToken(token, { clusterName: 'prod-eks', region: 'eu-north-1', ...credentials })).toEqual({ ok: true });
    expect(await checkEksToken(token, { clusterName: 'dev', region: 'eu-north-1', ...credentials })).toEqual({ ok: false, problem: 'signature does not match a GetCallerIdentity presigned for cluster dev' });
  });

  it('uses the session token of temporary credentials (the Lambda role)', async () => {
    const token = await eksToken({ clusterName: 'prod-eks', region: 'eu-north-1', credentials: { ...credentials, sessionToken: 'session/token+=' }, sha256: sts.config.sha256 });
    const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session/token+=');
  });
});
