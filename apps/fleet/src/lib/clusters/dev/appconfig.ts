import type { Unit } from '@flotilla/config';
import { configDemo } from '@flotilla/charts/workloads/config-demo';
import { appconfigSync, type AppConfigBindingSpec } from '@flotilla/charts/platform/appconfig-sync';

/**
 * team-a's example binding on dev: AppConfig application `config-demo`, environment `dev`, profile
 * `settings` (hosted). The IDs are what AWS assigned in account 111111111111, copied from
 * `status.atProvider.id` of the Crossplane objects after phase 1 (remove `ids` to start over).
 */
const configDemoBinding: AppConfigBindingSpec = {
  name: 'config-demo',
  team: { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' },
  application: 'config-demo',
  environment: 'dev',
  profile: 'settings',
  ids: { applicationId: 'k3d9qz1', environmentId: 'w7m2xa4', configurationProfileId: 'p5n8rt0' },
};

/** The AppConfig restart chain on dev: the platform side (Lambda, per-binding AWS resources) and the example app. */
export const appconfigUnits: Unit[] = [
  ...appconfigSync({
    bindings: [configDemoBinding],
    // Created by the account baseline (no SQS controller runs in the cluster).
    deadLetterTargetArn: 'arn:aws:sqs:eu-north-1:111111111111:flotilla-appconfig-sync-dlq',
    // The AppConfig managed resources need the ProviderConfig, which is in the same layer.
    dependsOn: ['crossplane.provider-config'],
  }),
  configDemo({ binding: configDemoBinding }),
];
