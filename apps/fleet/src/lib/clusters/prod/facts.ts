import { ClusterFacts } from '@flotilla/config';
import { fleetRepository } from '../../fleet-defaults';

/** prod in AWS, declared once: every other file of this cluster derives its account, region and ARNs from these (`c`). */
export const facts = new ClusterFacts({
  name: 'prod',
  account: '222222222222',
  region: 'eu-north-1',
  partition: 'aws',
  environment: 'prod',
  kubernetesVersion: '1.35',
  oidcIssuerId: '9F8E7D6C5B4A39281706F5E4D3C2B1A0',
  // The database subnets and the security group that admits the cluster's pods to them.
  vpc: {
    id: 'vpc-0f9e8d7c6b5a40000',
    cidr: '10.20.0.0/16',
    databaseSubnets: { cidr: '10.20.64.0/20', subnetIds: ['subnet-0f9e8d7c6b5a40001', 'subnet-0f9e8d7c6b5a40002', 'subnet-0f9e8d7c6b5a40003'] },
    securityGroups: { database: 'sg-0f9e8d7c6b5a40010' },
    // Interface endpoints (private DNS) in their own subnets: pods' AWS egress goes here, not to 0.0.0.0/0.
    endpoints: { cidr: '10.20.96.0/24', services: ['appconfigdata', 'eks-auth', 'secretsmanager', 'sts'] },
  },
  git: fleetRepository,
});
