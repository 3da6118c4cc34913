import type { Unit } from '@flotilla/config';
import { configDemo } from '@flotilla/apps/config-demo';
import { appconfigSync, type AppConfigBindingSpec } from '@flotilla/charts/appconfig-sync';

/**
 * team-a's example binding on prod: AppConfig application `config-demo`, environment `prod`, profile
 * `settings` (hosted). The IDs are what AWS assigned in account 222222222222, copied from
 * `status.atProvider.id` of the Crossplane objects after phase 1 (remove `ids` to start over).
 */
const configDemoBinding: AppConfigBindingSpec = {
  name: 'config-demo',
  team: { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' },
  application: 'config-demo',
  environment: 'prod',
  profile: 'settings',
  ids: { applicationId: 'h2v6bc9', environmentId: 'q4t1zs7', configurationProfileId: 'm8y3kd5' },
};

/** The AppConfig restart chain on prod: the platform side (Lambda, per-binding AWS resources) and the example app. */
export const appconfigUnits: Unit[] = [
  ...appconfigSync({
    bindings: [configDemoBinding],
    // Created by the account baseline (no SQS controller runs in the cluster).
    deadLetterTargetArn: 'arn:aws:sqs:eu-north-1:222222222222:flotilla-appconfig-sync-dlq',
    // The AppConfig managed resources need the ProviderConfig, which is in the same layer.
    dependsOn: ['crossplane.provider-config'],
  }),
  configDemo({ binding: configDemoBinding, minReplicas: 2, maxReplicas: 4 }),
];
