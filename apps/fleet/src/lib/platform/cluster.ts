import type { ClusterSettings, Delivery } from '@flotilla/config';
import type { FleetCluster } from '../fleet-defaults';
import { appconfigUnits } from './appconfig';
import { platformConfigs } from './configs';
import { platformControllers } from './controllers';
import { platformSettings, withOverrides, type ClusterPlatform, type ClusterResourceIds, type PlatformOverrides } from './settings';
import { tenants } from './tenants';

/** What a cluster's index.ts chooses: AWS-assigned ids, overrides of its environment's settings, delivery. */
export interface FleetClusterProps {
  /** @default - none known yet */
  readonly ids?: ClusterResourceIds;
  /** @default - the environment's settings as they are (platformSettings[c.environment]) */
  readonly overrides?: PlatformOverrides;
  /** @default - Git delivery from the fleet repository */
  readonly delivery?: Delivery;
}

/**
 * Everything a cluster of this fleet runs, from its facts, its environment's {@link PlatformSettings}
 * and its own {@link FleetClusterProps}: the same units for every cluster, differing only in values.
 */
export function fleetCluster(c: FleetCluster, props: FleetClusterProps = {}): ClusterSettings {
  const platform: ClusterPlatform = { settings: withOverrides(platformSettings[c.environment], props.overrides), ids: props.ids ?? {} };
  return {
    bootstrap: { ackIamControllerRoleArn: c.roleArn(`${c.name}-ack-iam-controller`) },
    artifacts: { bucket: c.bucketName('flotilla-artifacts') },
    ...(props.delivery ? { delivery: props.delivery } : {}),
    flux: platform.settings.flux,
    units: [...platformControllers(c, platform), ...platformConfigs(c, platform), ...tenants(c, platform), ...appconfigUnits(c, platform)],
  };
}
