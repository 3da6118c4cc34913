import type { Unit } from '@flotilla/config';
import { teamRef } from '@flotilla/workloads';
import { configDemo } from '@flotilla/charts/workloads/config-demo';
import { appconfigSync, type AppConfigBindingSpec } from '@flotilla/charts/platform/appconfig-sync';
import type { FleetCluster } from '../../fleet-defaults';
import { configDemoSettings, teamA } from '../../teams';

/**
 * team-a's example binding on dev: AppConfig application `config-demo`, environment `dev`, profile
 * `settings` (hosted). The IDs are what AWS assigned in the cluster's account, copied from
 * `status.atProvider.id` of the Crossplane objects after phase 1 (remove `ids` to start over).
 */
const configDemoBinding = (c: FleetCluster): AppConfigBindingSpec => ({
  name: 'config-demo',
  team: teamRef(teamA.on(c)),
  application: 'config-demo',
  environment: 'dev',
  profile: 'settings',
  ids: { applicationId: 'k3d9qz1', environmentId: 'w7m2xa4', configurationProfileId: 'p5n8rt0' },
});

/** The AppConfig restart chain on dev: the platform side (Lambda, per-binding AWS resources) and the example app. */
export const appconfigUnits = (c: FleetCluster): Unit[] => [
  ...appconfigSync({
    bindings: [configDemoBinding(c)],
    // The AppConfig managed resources need the ProviderConfig, which is in the same layer.
    dependsOn: ['crossplane.provider-config'],
  }),
  configDemo({ binding: configDemoBinding(c), ...configDemoSettings(c) }),
];
