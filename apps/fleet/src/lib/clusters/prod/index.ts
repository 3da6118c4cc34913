import { Duration, type ClusterConfig } from '@flotilla/config';
import { fleetRepository } from '../../fleet-defaults';
import { appconfigUnits } from './appconfig';
import { platformConfigs } from './platform-configs';
import { platformControllers } from './platform-controllers';
import { tenants } from './tenants';

export const prod: ClusterConfig = {
  name: 'prod',
  account: '222222222222',
  region: 'eu-north-1',
  environment: 'prod',
  kubernetesVersion: '1.35',
  identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0' },
  discoveryTag: { key: 'karpenter.sh/discovery', value: 'prod' },
  git: fleetRepository,
  // Delivered as a signed OCI artifact from the account's ECR (flotilla publish in CI, README "Delivery").
  delivery: {
    type: 'oci',
    registry: '222222222222.dkr.ecr.eu-north-1.amazonaws.com/flotilla',
    verify: { publicKeySecret: 'flotilla/prod/cosign-public-key' },
    signingKey: { env: 'FLOTILLA_PROD_COSIGN_KEY' },
  },
  bootstrap: { ackIamControllerRoleArn: 'arn:aws:iam::222222222222:role/prod-ack-iam-controller' },
  artifacts: { bucket: 'flotilla-artifacts-222222222222-eu-north-1' },
  // 10 minutes (was 30): each Kustomization re-applies and each HelmRelease re-checks its objects
  // that often, so a manual change on prod is reverted within 10 minutes (drift detection enabled).
  flux: { interval: Duration.minutes(10), helmDriftDetection: 'enabled' },
  units: [...platformControllers, ...platformConfigs, ...tenants, ...appconfigUnits],
};
