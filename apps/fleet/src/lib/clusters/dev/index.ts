import type { ClusterConfig } from '@flotilla/config';
import { fleetRepository } from '../../fleet-defaults';
import { appconfigUnits } from './appconfig';
import { platformConfigs } from './platform-configs';
import { platformControllers } from './platform-controllers';
import { tenants } from './tenants';

export const dev: ClusterConfig = {
  name: 'dev',
  account: '111111111111',
  region: 'eu-north-1',
  environment: 'dev',
  kubernetesVersion: '1.35',
  identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9' },
  discoveryTag: { key: 'karpenter.sh/discovery', value: 'dev' },
  git: fleetRepository,
  bootstrap: { ackIamControllerRoleArn: 'arn:aws:iam::111111111111:role/dev-ack-iam-controller' },
  artifacts: { bucket: 'flotilla-artifacts-111111111111-eu-north-1' },
  // Drift is reported, not reverted: engineers may `kubectl edit` a release on dev while debugging.
  flux: { helmDriftDetection: 'warn' },
  units: [...platformControllers, ...platformConfigs, ...tenants, ...appconfigUnits],
};
