import type { Unit } from '@flotilla/config';
import { configDemo } from '@flotilla/charts/workloads/config-demo';
import { AGENT_IMAGE, appconfigSync, type AppConfigBindingSpec } from '@flotilla/charts/platform/appconfig-sync';
import { ImageReference, teamRef } from '@flotilla/workloads';
import type { FleetCluster } from '../../fleet-defaults';
import { teamA } from '../../teams';

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
    // Created by the account baseline (no SQS controller runs in the cluster).
    deadLetterTargetArn: c.arn('sqs', 'flotilla-appconfig-sync-dlq'),
    // The AppConfig managed resources need the ProviderConfig, which is in the same layer.
    dependsOn: ['crossplane.provider-config'],
  }),
  configDemo({
    binding: configDemoBinding(c),
    minReplicas: 2,
    maxReplicas: 4,
    // prod pins digests (placeholders until CI resolves them; refresh with `crane digest <image>`).
    image: ImageReference.parse('public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@sha256:5d1b0e2a5c3f7a9b8c6d4e2f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b'),
    delivery: { mode: 'agent-sidecar', image: `${AGENT_IMAGE}@sha256:7c3e1a9b5d2f4e6a8c0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c` },
  }),
];
