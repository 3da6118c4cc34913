import { defineCluster } from '@flotilla/config';
import { fleetCluster } from '../../platform';
import { facts } from './facts';

/** prod: the platform with the prod environment's settings (lib/platform/settings.ts), delivered as a signed OCI artifact. */
export const prod = defineCluster(facts, (c) =>
  fleetCluster(c, {
    // What AWS assigned in prod's account (lib/platform/cluster.ts, ClusterResourceIds).
    ids: {
      configDemoAppConfig: { applicationId: 'h2v6bc9', environmentId: 'q4t1zs7', configurationProfileId: 'm8y3kd5' },
      teamAWebDatabaseSecret: 'secret:rds!db-8e7d6c5b-4a39-4281-9706-f5e4d3c2b1a0-Zy98Xw',
      // Placeholder until AWS assigns the flotilla_lambda profile's version (README "Supply chain").
      lambdaSigningProfileVersion: 'PRDLAMBDA1',
      // The public Route 53 zone of the cluster's hostnames (cert-manager's DNS-01); the zone id is a placeholder.
      dnsZones: [{ zone: 'example.com', hostedZoneId: 'Z0PRD1EXAMPLE2COM3456' }],
    },
    // Delivered as a signed OCI artifact from the account's ECR (flotilla publish in CI, README "Delivery").
    delivery: {
      type: 'oci',
      registry: `${c.registry}/flotilla`,
      verify: { publicKeySecret: 'flotilla/prod/cosign-public-key' },
      signingKey: { env: 'FLOTILLA_PROD_COSIGN_KEY' },
    },
  }),
);
