import { Duration, type ClusterConfig } from '@flotilla/config';
import { teamAWeb } from '@flotilla/apps/team-a-web';
import { teams } from '@flotilla/charts/teams';
import { fleetRepository } from '../fleet-defaults';

export const prod: ClusterConfig = {
  name: 'prod',
  account: '222222222222',
  region: 'eu-north-1',
  environment: 'prod',
  kubernetesVersion: '1.35',
  identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0' },
  discoveryTag: { key: 'karpenter.sh/discovery', value: 'prod' },
  git: fleetRepository,
  bootstrap: { ackIamControllerRoleArn: 'arn:aws:iam::222222222222:role/prod-ack-iam-controller' },
  flux: { interval: Duration.minutes(30) },
  units: [teams({ teams: [{ name: 'team-a', costCenter: 'cc-1001' }] }), teamAWeb({ replicas: 3 })],
};
