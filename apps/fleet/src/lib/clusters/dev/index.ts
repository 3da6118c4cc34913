import { defineCluster } from '@flotilla/config';
import { appconfigUnits } from './appconfig';
import { facts } from './facts';
import { platformConfigs } from './platform-configs';
import { platformControllers } from './platform-controllers';
import { tenants } from './tenants';

export const dev = defineCluster(facts, (c) => ({
  bootstrap: { ackIamControllerRoleArn: c.roleArn(`${c.name}-ack-iam-controller`) },
  artifacts: { bucket: c.bucketName('flotilla-artifacts') },
  // Drift is reported, not reverted: engineers may `kubectl edit` a release on dev while debugging.
  flux: { helmDriftDetection: 'warn' },
  units: [...platformControllers(c), ...platformConfigs(c), ...tenants(c), ...appconfigUnits(c)],
}));
