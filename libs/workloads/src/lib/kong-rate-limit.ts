import { assertIntegerInRange, WorkloadValidationError } from './validation-error';

/** Who a Kong `rate-limiting` counter is kept for. */
export type KongRateLimitBy = 'consumer' | 'ip' | 'credential';

export interface KongRateLimitProps {
  /** Requests per minute the route admits per `limitBy` key across the whole gateway. */
  readonly requestsPerMinute: number;
  /** Kong proxy replicas (the kong unit's typed `replicas`); each keeps its own counter. */
  readonly proxyReplicas: number;
  readonly limitBy: KongRateLimitBy;
}

/** The `config` of a Kong `rate-limiting` KongPlugin (plugin schema field names). */
export interface KongRateLimitConfig {
  readonly minute: number;
  readonly policy: 'local';
  readonly limit_by: KongRateLimitBy;
}

/**
 * The per-pod `rate-limiting` config that keeps a gateway-wide limit with `policy: local`.
 *
 * Every Kong proxy pod counts on its own (`policy: local`), so N replicas with `minute: L` admit up
 * to N×L. The limit is divided: each pod admits `floor(L / N)`, so the gateway as a whole never
 * admits more than L per minute. It is approximate under uneven load: a client whose requests the
 * load balancer keeps on one pod (one keep-alive connection) is cut off at `floor(L / N)`. A shared
 * counter (`policy: redis`) is exact but needs a Redis the gateway can reach; Flotilla declares
 * none yet.
 */
export function kongRateLimit(props: KongRateLimitProps): KongRateLimitConfig {
  assertIntegerInRange('proxyReplicas', props.proxyReplicas, 1, 1000);
  assertIntegerInRange('requestsPerMinute', props.requestsPerMinute, 1, 1_000_000);
  if (props.requestsPerMinute < props.proxyReplicas) {
    throw new WorkloadValidationError(
      'workloads/rate-limit',
      `'requestsPerMinute' (${props.requestsPerMinute}) is below the Kong proxy replicas (${props.proxyReplicas}): each pod counts on its own and must admit at least 1; raise requestsPerMinute to ${props.proxyReplicas} or more`,
    );
  }
  return { minute: Math.floor(props.requestsPerMinute / props.proxyReplicas), policy: 'local', limit_by: props.limitBy };
}
