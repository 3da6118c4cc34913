import type { ClusterConfig } from '@flotilla/config';
import { teamAWeb } from '@flotilla/apps/team-a-web';
import { teams } from '@flotilla/charts/teams';
import { fleetRepository } from '../fleet-defaults';

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
  units: [teams({ teams: [{ name: 'team-a', costCenter: 'cc-1001' }] }), teamAWeb({ replicas: 1 })],
};
