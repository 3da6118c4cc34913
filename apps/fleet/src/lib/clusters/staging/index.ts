import { defineCluster } from '@flotilla/config';
import { fleetCluster } from '../../platform';
import { facts } from './facts';

/** staging: the platform with the staging environment's settings (lib/platform/settings.ts). */
export const staging = defineCluster(facts, (c) =>
  fleetCluster(c, {
    // What AWS assigned in staging's account (lib/platform/cluster.ts, ClusterResourceIds).
    ids: {
      configDemoAppConfig: { applicationId: 'b8f2kd5', environmentId: 'r4t6yh2', configurationProfileId: 'n2m5qw8' },
      teamAWebDatabaseSecret: 'secret:rds!db-7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d-Ef34Gh',
      // Placeholder until AWS assigns the flotilla_lambda profile's version (README "Supply chain").
      lambdaSigningProfileVersion: 'STGLAMBDA1',
      // The public Route 53 zone of the cluster's hostnames (cert-manager's DNS-01); the zone id is a placeholder.
      dnsZones: [{ zone: 'staging.example.com', hostedZoneId: 'Z0STG1EXAMPLE2COM3456' }],
    },
  }),
);
