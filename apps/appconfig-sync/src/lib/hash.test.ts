import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configurationHash, rollbackHash } from './hash';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('configurationHash', () => {
  it('is SHA-256 over the domain, the length-prefixed content type and the raw bytes', () => {
    const expected = createHash('sha256').update('flotilla.appconfig-sync/v1\u000016:application/json{"a":1}').digest('hex');
    expect(configurationHash({ content: bytes('{"a":1}'), contentType: 'application/json' })).toBe(`sha256:${expected}`);
  });

  it('changes with whitespace or key order, because it never re-serialises', () => {
    const compact = configurationHash({ content: bytes('{"a":1,"b":2}'), contentType: 'application/json' });
    expect(configurationHash({ content: bytes('{"a": 1,"b":2}'), contentType: 'application/json' })).not.toBe(compact);
    expect(configurationHash({ content: bytes('{"b":2,"a":1}'), contentType: 'application/json' })).not.toBe(compact);
  });

  it('changes with the content type alone', () => {
    const content = bytes('a: 1');
    expect(configurationHash({ content, contentType: 'application/x-yaml' })).not.toBe(configurationHash({ content, contentType: 'text/plain' }));
  });

  it('cannot be shifted between content type and content', () => {
    expect(configurationHash({ content: bytes('n{}'), contentType: 'application/jso' })).not.toBe(configurationHash({ content: bytes('{}'), contentType: 'application/json' }));
  });

  it('hashes an empty configuration', () => {
    expect(configurationHash({ content: new Uint8Array(), contentType: '' })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('rollbackHash', () => {
  it('differs from the restored hash and per rolled-back deployment, and is stable for retries', () => {
    const restored = configurationHash({ content: bytes('{"a":1}'), contentType: 'application/json' });
    expect(rollbackHash(restored, 5)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rollbackHash(restored, 5)).not.toBe(restored);
    expect(rollbackHash(restored, 5)).not.toBe(rollbackHash(restored, 6));
    expect(rollbackHash(restored, 5)).toBe(rollbackHash(restored, 5));
  });
});
