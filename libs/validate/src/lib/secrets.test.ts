import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@flotilla/model';
import { checkSecrets } from './secrets';

const secret = (extra: Record<string, unknown>) => ({
  file: 'clusters/prod/apps/team-a/web/Secret_team-a_web.yaml',
  index: 0,
  cluster: 'prod',
  object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web', namespace: 'team-a' }, ...extra } as unknown as KubeObject,
});

describe('checkSecrets', () => {
  it('fails a Secret with data and explains where secrets live', () => {
    const [finding, ...rest] = checkSecrets([secret({ data: { password: 'aHVudGVyMg==' } })]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'error', code: 'secret/inline-data', path: 'data', object: 'Secret team-a/web' });
    expect(finding!.message).toBe('Secret carries data (password) in Git; secrets live in AWS Secrets Manager');
    expect(finding!.fix).toMatch(/ExternalSecret .*Secrets Store CSI driver/);
  });

  it('fails stringData too', () => {
    expect(checkSecrets([secret({ stringData: { token: 'x' } })])).toMatchObject([{ path: 'stringData' }]);
  });

  it('accepts Secrets without data (service-account tokens, placeholders)', () => {
    expect(checkSecrets([secret({ type: 'kubernetes.io/service-account-token' }), secret({ data: {} })])).toEqual([]);
  });

  it('ignores other kinds named Secret (ACK secretsmanager Secret)', () => {
    const ack = { ...secret({ spec: { name: 'x' } }), object: { apiVersion: 'secretsmanager.services.k8s.aws/v1alpha1', kind: 'Secret', metadata: { name: 'x' }, data: { a: 'b' } } as unknown as KubeObject };
    expect(checkSecrets([ack])).toEqual([]);
  });
});
