import { defineCluster } from '@flotilla/config';
import { fleetCluster } from '../../platform';
import { facts } from './facts';

/** dev: the platform with the dev environment's settings (lib/platform/settings.ts). */
export const dev = defineCluster(facts, (c) =>
  fleetCluster(c, {
    // What AWS assigned in dev's account (lib/platform/cluster.ts, ClusterResourceIds).
    ids: {
      configDemoAppConfig: { applicationId: 'k3d9qz1', environmentId: 'w7m2xa4', configurationProfileId: 'p5n8rt0' },
      teamAWebDatabaseSecret: 'secret:rds!db-3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b-Ab12Cd',
      // Placeholder until AWS assigns the flotilla_lambda profile's version (README "Supply chain").
      lambdaSigningProfileVersion: 'DEVLAMBDA1',
      // The public Route 53 zone of the cluster's hostnames (cert-manager's DNS-01); the zone id is a placeholder.
      dnsZones: [{ zone: 'dev.example.com', hostedZoneId: 'Z0DEV1EXAMPLE2COM3456' }],
    },
  }),
);
