import { describe, expect, test } from 'vitest';
import { kongRateLimit } from './kong-rate-limit';

describe('kongRateLimit', () => {
  test('divides the gateway-wide limit by the proxy replicas, so N local counters admit at most the limit', () => {
    // 3 per minute on 3 pods: 1 per pod, 3 in all (with the same limit on each pod it would be 9)
    expect(kongRateLimit({ requestsPerMinute: 3, proxyReplicas: 3, limitBy: 'consumer' })).toEqual({ minute: 1, policy: 'local', limit_by: 'consumer' });
    const perPod = kongRateLimit({ requestsPerMinute: 30, proxyReplicas: 4, limitBy: 'ip' }).minute;
    expect(perPod).toBe(7);
    expect(perPod * 4).toBeLessThanOrEqual(30);
  });

  test('one replica keeps the limit as written', () => {
    expect(kongRateLimit({ requestsPerMinute: 30, proxyReplicas: 1, limitBy: 'ip' }).minute).toBe(30);
  });

  test('fails if the limit is below the replica count, naming the fix', () => {
    expect(() => kongRateLimit({ requestsPerMinute: 2, proxyReplicas: 3, limitBy: 'consumer' })).toThrow(
      "'requestsPerMinute' (2) is below the Kong proxy replicas (3): each pod counts on its own and must admit at least 1; raise requestsPerMinute to 3 or more",
    );
  });

  test('fails for a replica count that is not a whole number', () => {
    expect(() => kongRateLimit({ requestsPerMinute: 30, proxyReplicas: 0, limitBy: 'ip' })).toThrow(/'proxyReplicas' \(0\) must be a whole number from 1 to 1000/);
  });
});
