import type { ClusterConfig, Environment } from './cluster-config';
import { ClusterFacts, type ClusterFactsProps } from './cluster-facts';

/** What a cluster adds to its facts: the units it runs and the settings derived from the facts. */
export type ClusterSettings = Pick<ClusterConfig, 'units' | 'bootstrap' | 'delivery' | 'artifacts' | 'alarms' | 'flux' | 'fluxLockdown'>;

/**
 * A cluster from its facts, declared once, and a function that derives everything else from them:
 *
 * ```ts
 * export const dev = defineCluster(facts, (c) => ({
 *   bootstrap: { ackIamControllerRoleArn: c.roleArn(`${c.name}-ack-iam-controller`) },
 *   units: [...platformControllers(c), ...tenants(c)],
 * }));
 * ```
 *
 * @throws ClusterFactsError when a fact is invalid (account, region/partition, OIDC issuer id, VPC)
 */
export function defineCluster<E extends Environment>(facts: ClusterFacts<E> | ClusterFactsProps<E>, build: (c: ClusterFacts<E>) => ClusterSettings): ClusterConfig {
  const c = facts instanceof ClusterFacts ? facts : new ClusterFacts(facts);
  const settings = build(c);
  return {
    name: c.name,
    ...(c.eksClusterName !== c.name ? { eksClusterName: c.eksClusterName } : {}),
    account: c.account,
    region: c.region,
    environment: c.environment,
    kubernetesVersion: c.kubernetesVersion,
    identity: { oidcIssuerUrl: c.oidcIssuerUrl },
    discoveryTag: c.discoveryTag,
    git: c.git,
    ...settings,
  };
}
