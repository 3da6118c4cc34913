import type { Unit } from '@flotilla/config';
import { configDemo } from '@flotilla/charts/workloads/config-demo';
import { appconfigSync, type AppConfigBindingSpec } from '@flotilla/charts/platform/appconfig-sync';
import { teamRef } from '@flotilla/workloads';
import type { FleetCluster } from '../../fleet-defaults';
import { configDemoSettings, teamA } from '../../teams';

/**
 * team-a's example binding on prod: AppConfig application `config-demo`, environment `prod`, profile
 * `settings` (hosted). The IDs are what AWS assigned in the cluster's account, copied from
 * `status.atProvider.id` of the Crossplane objects after phase 1 (remove `ids` to start over).
 */
const configDemoBinding = (c: FleetCluster): AppConfigBindingSpec => ({
  name: 'config-demo',
  team: teamRef(teamA.on(c)),
  application: 'config-demo',
  environment: 'prod',
  profile: 'settings',
  ids: { applicationId: 'h2v6bc9', environmentId: 'q4t1zs7', configurationProfileId: 'm8y3kd5' },
});

/** The AppConfig restart chain on prod: the platform side (Lambda, per-binding AWS resources) and the example app. */
export const appconfigUnits = (c: FleetCluster): Unit[] => [
  ...appconfigSync({
    bindings: [configDemoBinding(c)],
    // The AppConfig managed resources need the ProviderConfig, which is in the same layer.
    dependsOn: ['crossplane.provider-config'],
  }),
  configDemo({ binding: configDemoBinding(c), ...configDemoSettings(c) }),
];
