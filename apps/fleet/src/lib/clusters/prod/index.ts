import { Duration, defineCluster } from '@flotilla/config';
import { appconfigUnits } from './appconfig';
import { facts } from './facts';
import { platformConfigs } from './platform-configs';
import { platformControllers } from './platform-controllers';
import { tenants } from './tenants';

export const prod = defineCluster(facts, (c) => ({
  // Delivered as a signed OCI artifact from the account's ECR (flotilla publish in CI, README "Delivery").
  delivery: {
    type: 'oci',
    registry: `${c.registry}/flotilla`,
    verify: { publicKeySecret: 'flotilla/prod/cosign-public-key' },
    signingKey: { env: 'FLOTILLA_PROD_COSIGN_KEY' },
  },
  bootstrap: { ackIamControllerRoleArn: c.roleArn(`${c.name}-ack-iam-controller`) },
  artifacts: { bucket: c.bucketName('flotilla-artifacts') },
  // 10 minutes (was 30): each Kustomization re-applies and each HelmRelease re-checks its objects
  // that often, so a manual change on prod is reverted within 10 minutes (drift detection enabled).
  flux: { interval: Duration.minutes(10), helmDriftDetection: 'enabled' },
  units: [...platformControllers(c), ...platformConfigs(c), ...tenants(c), ...appconfigUnits(c)],
}));
