import { defineCluster } from '@flotilla/config';
import { appconfigUnits } from './appconfig';
import { facts } from './facts';
import { platformConfigs } from './platform-configs';
import { platformControllers } from './platform-controllers';
import { tenants } from './tenants';

export const staging = defineCluster(facts, (c) => ({
  bootstrap: { ackIamControllerRoleArn: c.roleArn(`${c.name}-ack-iam-controller`) },
  artifacts: { bucket: c.bucketName('flotilla-artifacts') },
  // Like prod, a manual change is reverted (staging proves what prod will run), but delivered from Git.
  flux: { helmDriftDetection: 'enabled' },
  units: [...platformControllers(c), ...platformConfigs(c), ...tenants(c), ...appconfigUnits(c)],
}));
