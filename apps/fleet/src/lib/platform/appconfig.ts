import type { Unit } from '@flotilla/config';
import { appconfigSync, type AppConfigBindingSpec } from '@flotilla/charts/platform/appconfig-sync';
import { CONFIG_DEMO_SCHEMA, configDemo } from '@flotilla/charts/workloads/config-demo';
import { teamRef } from '@flotilla/workloads';
import type { FleetCluster } from '../fleet-defaults';
import { configDemoSettings, teamA } from '../teams';
import type { ClusterPlatform } from './settings';

/**
 * team-a's example binding: AppConfig application `config-demo`, the environment named after the
 * cluster's, profile `settings` (hosted, validated by the app's `CONFIG_DEMO_SCHEMA`). The IDs are what AWS assigned in the cluster's account
 * (the cluster's index.ts, `ids.configDemoAppConfig`); without them phase 1 creates the resources.
 */
const configDemoBinding = (c: FleetCluster, p: ClusterPlatform): AppConfigBindingSpec => ({
  name: 'config-demo',
  team: teamRef(teamA.on(c)),
  application: 'config-demo',
  environment: c.environment,
  profile: 'settings',
  schema: CONFIG_DEMO_SCHEMA,
  ...(p.ids.configDemoAppConfig ? { ids: p.ids.configDemoAppConfig } : {}),
});

/** The AppConfig restart chain: the platform side (Lambda, per-binding AWS resources) and the example app. */
export const appconfigUnits = (c: FleetCluster, p: ClusterPlatform): Unit[] => [
  ...appconfigSync({
    bindings: [configDemoBinding(c, p)],
    // The AppConfig managed resources need the ProviderConfig, which is in the same layer.
    dependsOn: ['crossplane.provider-config'],
  }),
  configDemo({ binding: configDemoBinding(c, p), ...configDemoSettings(c) }),
];
