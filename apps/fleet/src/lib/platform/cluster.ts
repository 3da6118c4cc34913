import type { ClusterSettings, Delivery } from '@flotilla/config';
import type { AppConfigIds } from '@flotilla/charts/platform/appconfig-sync';
import type { FleetCluster } from '../fleet-defaults';
import { appconfigUnits } from './appconfig';
import { platformConfigs } from './configs';
import { platformControllers } from './controllers';
import { platformSettings, withOverrides, type PlatformOverrides, type PlatformSettings } from './settings';
import { tenants } from './tenants';

/**
 * What AWS assigned to one cluster's resources after their first deploy: values no setting can
 * predict, copied from the objects' status into the cluster's index.ts.
 */
export interface ClusterResourceIds {
  /**
   * config-demo's AppConfig IDs in the cluster's account, from `status.atProvider.id` of the
   * Crossplane objects after phase 1.
   *
   * @default - not known yet: phase 1 creates the AppConfig application, environment and profile
   */
  readonly configDemoAppConfig?: AppConfigIds;
  /**
   * The resource part of team-a-web's RDS master-user secret ARN (`secret:rds!db-…`), from the
   * ConfigMap team-a/web-db-outputs after the first deploy (charts/workloads/team-a-web/README.md).
   *
   * @default - not known yet: only the database and the web identity are deployed (phase 1)
   */
  readonly teamAWebDatabaseSecret?: string;
}

/** One cluster's platform: its environment's settings (with the cluster's overrides) and its AWS-assigned ids. */
export interface ClusterPlatform {
  readonly settings: PlatformSettings;
  readonly ids: ClusterResourceIds;
}

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
