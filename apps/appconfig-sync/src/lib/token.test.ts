import { describe, expect, it } from 'vitest';
import { clientRequestTokenFor, uuidV5 } from './token';

const identity = { applicationId: 'ba8toh7', environmentId: 'pgil2o7', configurationProfileId: 'ga3tqep', deploymentNumber: 1, eventType: 'OnDeploymentComplete' };

describe('clientRequestTokenFor', () => {
  it('is a version-5 UUID within Secrets Manager token limits (32-64 characters)', () => {
    const token = clientRequestTokenFor(identity);
    expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(token.length).toBeLessThanOrEqual(64);
  });

  it('is stable for one deployment event, so retries are idempotent', () => {
    expect(clientRequestTokenFor({ ...identity })).toBe(clientRequestTokenFor(identity));
  });

  it('changes with every identity field, so a revert A → B → A gets a new token', () => {
    const variants = [
      { ...identity, applicationId: 'ba8toh8' },
      { ...identity, environmentId: 'pgil2o8' },
      { ...identity, configurationProfileId: 'ga3tqeq' },
      { ...identity, deploymentNumber: 2 },
      { ...identity, eventType: 'OnDeploymentRolledBack' },
    ];
    expect(new Set([identity, ...variants].map(clientRequestTokenFor)).size).toBe(6);
  });
});

describe('uuidV5', () => {
  it('matches the well-known vector (DNS namespace, "www.example.com")', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
